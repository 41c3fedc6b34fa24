package dev.certops.sshdeploy;

import dev.certops.deploy.DeployException;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The injected fault: just before the {@code n}th write, runs {@code fault} (cutting the SSH
 * connection) and passes the content through {@code damage} (a bit flipped in transit), then carries on.
 */
final class FaultInjectingChannel implements HostChannel {
    private final HostChannel real;
    private final int n;
    private final Runnable fault;
    private final UnaryOperator<byte[]> damage;
    private int writes;

    FaultInjectingChannel(HostChannel real, int n, Runnable fault, UnaryOperator<byte[]> damage) {
        this.real = real;
        this.n = n;
        this.fault = fault;
        this.damage = damage;
    }

    @Override public String hostId() { return real.hostId(); }
    @Override public ExecResult exec(List<String> argv, Duration timeout) throws DeployException { return real.exec(argv, timeout); }
    @Override public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException { return real.execConfigured(commandLine, timeout); }
    @Override public Optional<byte[]> read(String path) throws DeployException { return real.read(path); }

    @Override
    public void write(String path, byte[] content, int mode) throws DeployException {
        if (++writes == n) {
            fault.run();
            content = damage.apply(content);
        }
        real.write(path, content, mode);
    }

    @Override public void delete(String path) throws DeployException { real.delete(path); }
    @Override public void mkdirs(String path, int mode) throws DeployException { real.mkdirs(path, mode); }
    @Override public List<String> list(String dir) throws DeployException { return real.list(dir); }
    @Override public Optional<String> readLink(String path) throws DeployException { return real.readLink(path); }
    @Override public void replaceLink(String target, String link, Duration timeout) throws DeployException { real.replaceLink(target, link, timeout); }
    @Override public void close() { real.close(); }
}
