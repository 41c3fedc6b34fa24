package dev.certops.sshdeploy;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.ShellWords;
import dev.certops.sshdeploy.connection.SshConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@link HostChannel} over one SSH session, reused for every step: commands are execs whose
 * arguments are quoted one by one ({@link ShellWords}); files, links and folders go over one SFTP
 * channel ({@link SftpFiles}), written to a temporary name with the mode set first, then renamed.
 */
public final class SshHostChannel implements HostChannel {
    private final SshConnection connection;

    private final SftpFiles files;

    public SshHostChannel(SshConnection connection) {
        this.connection = connection;
        this.files = new SftpFiles(connection);
    }

    @Override public String hostId() { return connection.hostId(); }

    @Override
    public ExecResult exec(List<String> argv, Duration timeout) throws DeployException {
        return run(ShellWords.join(argv), timeout, String.join(" ", argv));
    }

    @Override
    public ExecResult execAll(List<List<String>> commands, Duration timeout) throws DeployException {
        List<String> lines = commands.stream().map(ShellWords::join).toList();
        return run(String.join(" && ", lines), timeout, commands.stream().map(a -> String.join(" ", a)).collect(Collectors.joining(" && ")));
    }

    @Override
    public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException {
        return run(commandLine, timeout, commandLine);
    }

    @Override public Optional<byte[]> read(String path) throws DeployException { return guarded("read " + path, () -> files.read(path)); }
    @Override public void write(String path, byte[] content, int mode) throws DeployException {
        guarded("write " + path, () -> { files.write(path, content, mode); return null; });
    }
    @Override public void delete(String path) throws DeployException { guarded("delete " + path, () -> { files.delete(path); return null; }); }
    @Override public void mkdirs(String path, int mode) throws DeployException { guarded("mkdir " + path, () -> { files.mkdirs(path, mode); return null; }); }
    @Override public List<String> list(String dir) throws DeployException { return guarded("list " + dir, () -> files.list(dir)); }
    @Override public Optional<String> readLink(String path) throws DeployException { return guarded("readlink " + path, () -> files.readLink(path)); }
    @Override public void replaceLink(String target, String link, Duration timeout) throws DeployException {
        guarded("link " + link, () -> { files.replaceLink(target, link); return null; });
    }

    private interface FileOp<T> { T run() throws DeployException; }

    /**
     * JSch's SFTP channel can fail with an unchecked exception when the connection drops in the middle
     * of an operation (a stream closed under it): that is a dropped connection like any other, reported
     * with the step it interrupted, never an "unexpected error". Any other unchecked exception, with the
     * session and channel still up, is a bug and propagates as itself.
     */
    private <T> T guarded(String what, FileOp<T> op) throws DeployException {
        try {
            return op.run();
        } catch (RuntimeException e) {
            if (!connection.isConnected() || !files.channelUp() || e instanceof UncheckedIOException) throw dropped(what, e);
            throw e;
        }
    }

    @Override
    public void close() {
        files.close();
        connection.close();
    }

    private ExecResult run(String command, Duration timeout, String shown) throws DeployException {
        Raw r = raw(command, timeout, shown);
        return new ExecResult(r.exit, new String(r.out, StandardCharsets.UTF_8).strip(), r.err.strip());
    }

    private record Raw(int exit, byte[] out, String err) { }

    /** Runs one exec channel: blocks on its output (no polling), a watchdog closes it at the deadline. */
    private Raw raw(String command, Duration timeout, String shown) throws DeployException {
        if (!connection.isConnected()) throw dropped(shown, null);
        ChannelExec ch = null;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> watchdog = null;
        try {
            ch = (ChannelExec) connection.session().openChannel("exec");
            ch.setCommand(command);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ch.setInputStream(null);
            ch.setErrStream(err, true);
            InputStream stdout = ch.getInputStream();
            ch.connect((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            ChannelExec running = ch;
            watchdog = WATCHDOG.schedule(() -> { timedOut.set(true); running.disconnect(); }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            byte[] out = stdout.readAllBytes();
            while (!ch.isClosed() && !timedOut.get() && connection.isConnected()) Thread.sleep(1);
            if (timedOut.get()) {
                throw new DeployException(hostId(), "exec", "'" + shown + "' did not finish within " + timeout.toSeconds() + " s",
                        "check the command on the host; raise the timeout if it is legitimately slow");
            }
            int exit = ch.getExitStatus();
            if (exit < 0) throw dropped(shown, null);
            return new Raw(exit, out, err.toString(StandardCharsets.UTF_8));
        } catch (JSchException | IOException e) {
            if (timedOut.get()) {
                throw new DeployException(hostId(), "exec", "'" + shown + "' did not finish within " + timeout.toSeconds() + " s",
                        "check the command on the host; raise the timeout if it is legitimately slow");
            }
            throw dropped(shown, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(hostId(), "exec", "interrupted while running '" + shown + "'", null);
        } finally {
            if (watchdog != null) watchdog.cancel(false);
            if (ch != null) ch.disconnect();
        }
    }

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "certops-ssh-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** The connection went away under an operation; the cause's own text ("inputstream is closed") tells an operator nothing more. */
    private DeployException dropped(String shown, Exception cause) { return droppedConnection(hostId(), "'" + shown + "'", cause); }

    /** The connection to {@code hostId} went away under {@code what} (sshd stopped, the host went down, the network failed). */
    static DeployException droppedConnection(String hostId, String what, Exception cause) {
        return new DeployException(hostId, "ssh", "the SSH connection to " + hostId + " dropped during " + what
                + " (its sshd stopped, the host went down or the network failed)",
                "check that the host and its sshd are up (`certops hosts check " + hostId + "`), then deploy again", false, cause);
    }

}
