package dev.certops.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A throwaway sshd for the current user: host key, user key in the workspace, known_hosts that trusts it. */
final class SandboxSsh {
    private SandboxSsh() { }

    static long start(Path dir, Path workspaceSsh, int port, Path log) throws IOException {
        Files.createDirectories(dir);
        SandboxProcesses.run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "certops-sandbox-host", "-f", dir.resolve("host_ed25519").toString()), dir);
        SandboxProcesses.run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "certops-sandbox", "-f", workspaceSsh.resolve("id_ed25519").toString()), dir);
        Files.copy(workspaceSsh.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
        String[] pub = Files.readString(dir.resolve("host_ed25519.pub")).trim().split(" ");
        Files.writeString(workspaceSsh.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n");
        Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"), "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PermitRootLogin prohibit-password", "MaxStartups 50:30:100", "Subsystem sftp internal-sftp", ""));
        if ("root".equals(System.getProperty("user.name"))) Files.createDirectories(Path.of("/run/sshd"));
        return SandboxProcesses.start(List.of("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString()), Map.of(), log);
    }
}
