package dev.certops.sshdeploy;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.ShellWords;
import dev.certops.sshdeploy.session.SshConnection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link HostChannel} over one SSH session. Every command is an exec whose arguments are quoted
 * one by one ({@link ShellWords}); files travel on the command's stdin ({@code cat > tmp}, then
 * chmod and rename), so no path is ever glob-expanded (no SFTP).
 */
public final class SshHostChannel implements HostChannel {
    private static final Duration FILE_OP_TIMEOUT = Duration.ofSeconds(60);
    private static final int MISSING = 3;
    private final SshConnection connection;

    public SshHostChannel(SshConnection connection) { this.connection = connection; }

    @Override public String hostId() { return connection.hostId(); }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) throws DeployException {
        return run(ShellWords.join(argv), null, timeout, String.join(" ", argv));
    }

    @Override
    public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException {
        return run(commandLine, null, timeout, commandLine);
    }

    @Override
    public Optional<byte[]> read(String path) throws DeployException {
        Raw r = raw(ShellWords.join(List.of("sh", "-c", "if [ -e \"$1\" ]; then exec cat -- \"$1\"; else exit " + MISSING + "; fi", "certops-read", path)), null, FILE_OP_TIMEOUT, "read " + path);
        if (r.exit == MISSING) return Optional.empty();
        if (r.exit != 0) throw failed("read", path, r);
        return Optional.of(r.out);
    }

    @Override
    public void write(String path, byte[] content, int mode) throws DeployException {
        int slash = path.lastIndexOf('/');
        String tmp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".certops-tmp";
        String script = "umask 077 && cat > \"$1\" && chmod \"$2\" \"$1\" && mv -f -- \"$1\" \"$3\" || { rm -f -- \"$1\"; exit 1; }";
        Raw r = raw(ShellWords.join(List.of("sh", "-c", script, "certops-write", tmp, Integer.toOctalString(mode), path)), content, FILE_OP_TIMEOUT, "write " + path);
        if (r.exit != 0) throw failed("write", path, r);
    }

    @Override
    public void delete(String path) throws DeployException {
        String script = "if [ -d \"$1\" ] && [ ! -L \"$1\" ]; then rmdir -- \"$1\"; else rm -f -- \"$1\"; fi";
        Raw r = raw(ShellWords.join(List.of("sh", "-c", script, "certops-delete", path)), null, FILE_OP_TIMEOUT, "delete " + path);
        if (r.exit != 0) throw failed("delete", path, r);
    }

    @Override
    public void mkdirs(String path, int mode) throws DeployException {
        Raw r = raw(ShellWords.join(List.of("mkdir", "-p", "-m", Integer.toOctalString(mode), "--", path)), null, FILE_OP_TIMEOUT, "mkdir " + path);
        if (r.exit != 0) throw failed("mkdir", path, r);
    }

    @Override
    public List<String> list(String dir) throws DeployException {
        Raw r = raw(ShellWords.join(List.of("sh", "-c", "if [ -d \"$1\" ]; then exec ls -1A -- \"$1\"; fi", "certops-list", dir)), null, FILE_OP_TIMEOUT, "list " + dir);
        if (r.exit != 0) throw failed("list", dir, r);
        List<String> names = new ArrayList<>();
        for (String n : new String(r.out, StandardCharsets.UTF_8).split("\n")) if (!n.isEmpty()) names.add(n);
        names.sort(null);
        return names;
    }

    @Override
    public Optional<String> readLink(String path) throws DeployException {
        Raw r = raw(ShellWords.join(List.of("sh", "-c", "if [ -L \"$1\" ]; then exec readlink -- \"$1\"; else exit " + MISSING + "; fi", "certops-readlink", path)), null, FILE_OP_TIMEOUT, "readlink " + path);
        if (r.exit == MISSING) return Optional.empty();
        if (r.exit != 0) throw failed("readlink", path, r);
        return Optional.of(new String(r.out, StandardCharsets.UTF_8).strip());
    }

    @Override
    public void close() { connection.close(); }

    private ExecResult run(String command, byte[] stdin, Duration timeout, String shown) throws DeployException {
        Raw r = raw(command, stdin, timeout, shown);
        return new ExecResult(r.exit, new String(r.out, StandardCharsets.UTF_8).strip(), r.err.strip());
    }

    private record Raw(int exit, byte[] out, String err) { }

    private Raw raw(String command, byte[] stdin, Duration timeout, String shown) throws DeployException {
        if (!connection.isConnected()) throw dropped(shown, null);
        ChannelExec ch = null;
        try {
            ch = (ChannelExec) connection.session().openChannel("exec");
            ch.setCommand(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setInputStream(stdin == null ? new ByteArrayInputStream(new byte[0]) : new ByteArrayInputStream(stdin), false);
            ch.setOutputStream(out, true);
            ch.setErrStream(err, true);
            ch.connect((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ch.isClosed()) {
                if (!connection.isConnected()) throw dropped(shown, null);
                if (System.nanoTime() > deadline) {
                    throw new DeployException(hostId(), "exec", "'" + shown + "' did not finish within " + timeout.toSeconds() + " s",
                            "check the command on the host; raise the timeout if it is legitimately slow");
                }
                Thread.sleep(2);
            }
            int exit = ch.getExitStatus();
            if (exit < 0) throw dropped(shown, null);
            return new Raw(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } catch (JSchException e) {
            throw dropped(shown, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(hostId(), "exec", "interrupted while running '" + shown + "'", null);
        } finally {
            if (ch != null) ch.disconnect();
            if (stdin != null) Arrays.fill(stdin, (byte) 0);
        }
    }

    private DeployException dropped(String shown, Exception cause) {
        return new DeployException(hostId(), "ssh", "the SSH connection dropped during '" + shown + "'" + (cause == null ? "" : ": " + cause.getMessage()),
                "check the host and the network, then deploy again (a half-uploaded release is removed on the next deploy)", false, cause);
    }

    private DeployException failed(String op, String path, Raw r) {
        return new DeployException(hostId(), op, path + ": " + (r.err.isBlank() ? "exit " + r.exit : r.err.strip()), "check the path and its permissions on the host");
    }
}
