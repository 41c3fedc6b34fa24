package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Appends a trusted key to an OpenSSH known_hosts file, never replacing a different one. */
public final class KnownHostsFile {
    private KnownHostsFile() { }

    /** What known_hosts (hashed entries included) says about this key. */
    public static int status(Path file, PresentedKey key) throws DeployException {
        if (!Files.isRegularFile(file)) return HostKeyRepository.NOT_INCLUDED;
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(file.toString());
            return jsch.getHostKeyRepository().check(key.knownHostsName(), key.blob());
        } catch (JSchException e) {
            throw new DeployException(null, "host-key", file + " cannot be read: " + e.getMessage(), "fix or remove the file");
        }
    }

    /** {@link #status} in core's words: listed as this key, as a different one, or not at all. */
    public static HostKeys.Listed listed(Path file, PresentedKey key) throws DeployException {
        return switch (status(file, key)) {
            case HostKeyRepository.OK -> HostKeys.Listed.TRUSTED;
            case HostKeyRepository.CHANGED -> HostKeys.Listed.CHANGED;
            default -> HostKeys.Listed.NOT_LISTED;
        };
    }

    public static void append(String hostId, Path file, PresentedKey key) throws DeployException {
        int status = status(file, key);
        if (status == HostKeyRepository.OK) return;
        if (status == HostKeyRepository.CHANGED) {
            throw new DeployException(hostId, "host-key", file + " already lists a DIFFERENT key for " + key.knownHostsName() + "; not adding " + key.fingerprint(),
                    "if the host was really re-keyed, delete the old line for " + key.knownHostsName() + " from " + file + " first");
        }
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            if (!Files.exists(file)) Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            String existing = Files.readString(file, StandardCharsets.UTF_8);
            String prefix = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
            Files.writeString(file, prefix + key.knownHostsLine() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new DeployException(hostId, "host-key", "cannot write " + file + ": " + e.getMessage(), "check the workspace's permissions");
        }
    }
}
