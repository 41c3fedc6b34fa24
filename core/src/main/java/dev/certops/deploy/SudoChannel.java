package dev.certops.deploy;

import dev.certops.config.HostConfig;
import dev.certops.config.SafeNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A host entry with {@code sudo: true}: the SSH user cannot write where the server reads. Files
 * are written over SFTP as that user into a private staging folder ({@code mktemp -d}, mode 0700),
 * read back and checked there, then copied into place with {@code sudo -n install} and renamed
 * over the target ({@code sudo -n mv -T}); folders, links and deletions go through {@code sudo -n}
 * too, and so do the config test and the reload. {@code sudo -n} never prompts: when sudo wants a
 * password the step fails with the sudoers line to add ({@link SudoersLine}), before anything changed
 * (the first privileged step of a deploy is creating its release folder). Reads and listings stay
 * unprivileged over SFTP; a file only root may read (the key) is read back through {@code sudo -n base64}.
 */
final class SudoChannel implements HostChannel {
    private static final List<String> SUDO = List.of("sudo", "-n");
    private final HostChannel ch;
    private final HostConfig host;
    private String staging;
    private int counter;

    SudoChannel(HostChannel ch, HostConfig host) {
        this.ch = ch;
        this.host = host;
    }

    @Override public String hostId() { return ch.hostId(); }

    @Override public ExecResult exec(List<String> argv, Duration timeout) throws DeployException { return ch.exec(argv, timeout); }

    @Override public ExecResult execAll(List<List<String>> commands, Duration timeout) throws DeployException { return ch.execAll(commands, timeout); }

    @Override
    public ExecResult execAsRoot(List<String> argv, Duration timeout) throws DeployException {
        return checked(ch.exec(sudo(argv), timeout), argv);
    }

    @Override
    public String asRoot(String commandLine) { return SudoersLine.asRoot(commandLine); }

    @Override
    public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException {
        return ch.execConfigured(commandLine, timeout);
    }

    @Override
    public Optional<byte[]> read(String path) throws DeployException {
        try {
            return ch.read(path);
        } catch (DeployException e) {
            if (!String.valueOf(e.getMessage()).contains("permission denied")) throw e;
        }
        ExecResult r = ch.exec(sudo(List.of("base64", "--", path)), Duration.ofSeconds(60));
        if (!r.ok() && r.stderr().contains("No such file")) return Optional.empty();
        checked(r, List.of("base64", "--", path));
        if (!r.ok()) throw new DeployException(hostId(), "read", path + ": " + r.output(), "check the path on the host");
        return Optional.of(Base64.getMimeDecoder().decode(r.stdout()));
    }

    /** Staged as the SSH user, checked, then installed under a temporary name and renamed over {@code path} as root. */
    @Override
    public void write(String path, byte[] content, int mode) throws DeployException {
        String staged = staging() + "/" + (++counter) + "-" + path.substring(path.lastIndexOf('/') + 1);
        ch.write(staged, content, 0600);
        Optional<byte[]> back = ch.read(staged);
        if (back.isEmpty() || !ReleaseOps.sha256(back.get()).equals(ReleaseOps.sha256(content))) {
            ch.delete(staged);
            throw new DeployException(hostId(), "upload", path + " arrived damaged in the staging folder " + staging, "check the disk on the host and deploy again");
        }
        int slash = path.lastIndexOf('/');
        String tmp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".certops-tmp";
        String octal = String.format("%04o", mode);
        List<List<String>> steps = List.of(sudo(List.of("install", "-m", octal, "--", staged, tmp)), sudo(List.of("mv", "-f", "-T", "--", tmp, path)));
        try {
            run(steps, List.of("install", "-m", octal, "--", staged, tmp));
        } finally {
            ch.delete(staged);
        }
    }

    @Override
    public void delete(String path) throws DeployException {
        if (ch.readLink(path).isEmpty() && !exists(path)) return;
        run(List.of(sudo(List.of("rm", "-f", "-d", "--", path))), List.of("rm", "-f", "-d", "--", path));
    }

    @Override
    public void mkdirs(String path, int mode) throws DeployException {
        List<String> argv = List.of("mkdir", "-p", "-m", Integer.toOctalString(mode), "--", path);
        run(List.of(sudo(argv)), argv);
    }

    @Override public List<String> list(String dir) throws DeployException { return ch.list(dir); }

    @Override public Optional<String> readLink(String path) throws DeployException { return ch.readLink(path); }

    @Override
    public void replaceLink(String target, String link, Duration timeout) throws DeployException {
        List<String> ln = List.of("ln", "-sfn", "--", target, link + ".tmp");
        run(List.of(sudo(ln), sudo(List.of("mv", "-T", "--", link + ".tmp", link))), ln);
    }

    @Override
    public void close() {
        try {
            if (staging != null) ch.delete(staging);
        } catch (DeployException ignored) {
            /* mktemp's folder under /tmp; the system cleans it */
        }
        ch.close();
    }

    private boolean exists(String path) throws DeployException {
        int slash = path.lastIndexOf('/');
        return ch.list(slash == 0 ? "/" : path.substring(0, slash)).contains(path.substring(slash + 1));
    }

    private void run(List<List<String>> steps, List<String> shown) throws DeployException {
        ExecResult r = checked(ch.execAll(steps, Duration.ofSeconds(60)), shown);
        if (!r.ok()) {
            throw new DeployException(hostId(), shown.get(0), "'sudo -n " + String.join(" ", shown) + "' failed (exit " + r.exitCode() + "): " + r.output(),
                    "check the folder and its permissions on the host");
        }
    }

    /** Fails with the sudoers line to add when sudo wanted a password (or refused the command). */
    private ExecResult checked(ExecResult r, List<String> argv) throws DeployException {
        if (r.ok() || !SudoersLine.refused(r.stderr())) return r;
        throw new DeployException(hostId(), "sudo", "sudo on " + host.id() + " refused '" + SafeNames.printable(String.join(" ", argv)) + "' for " + host.user()
                + " without a password (" + r.stderr().lines().findFirst().orElse("") + "); nothing was changed",
                "add this line on the host with `visudo -f /etc/sudoers.d/certops`: " + SudoersLine.forHost(this, host));
    }

    /** The private staging folder, created once per connection by mktemp -d (0700, owned by the SSH user). */
    private String staging() throws DeployException {
        if (staging != null) return staging;
        ExecResult r = ch.exec(List.of("mktemp", "-d", "-t", "certops-staging.XXXXXXXX"), Duration.ofSeconds(30));
        String dir = r.stdout().strip();
        if (!r.ok() || SafeNames.absolutePathProblem(dir).isPresent()) {
            throw new DeployException(hostId(), "upload", "could not create a staging folder as " + host.user() + " (mktemp -d: " + r.output() + ")",
                    "check that " + host.user() + " can write to /tmp on the host");
        }
        staging = dir;
        return staging;
    }

    /** Runs a fixed lookup of program paths as the SSH user (for the sudoers line). */
    List<String> resolve(List<String> programs) {
        List<String> argv = new ArrayList<>(List.of("sh", "-c",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; for p; do command -v \"$p\" || echo \"$p\"; done", "certops"));
        argv.addAll(programs);
        try {
            ExecResult r = ch.exec(argv, Duration.ofSeconds(10));
            List<String> out = r.stdout().lines().map(String::strip).toList();
            return out.size() == programs.size() ? out : programs;
        } catch (DeployException e) {
            return programs;
        }
    }

    private static List<String> sudo(List<String> argv) {
        List<String> out = new ArrayList<>(SUDO);
        out.addAll(argv);
        return out;
    }
}
