package dev.certops.sshdeploy;

import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.ExecResult;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnector;
import dev.certops.deploy.HostConnectorProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Test class path only (META-INF/services): in a JVM started with {@value StepGate#ENV}, the real SSH connector
 * wrapped so that the deploy stops at the {@link StepGate}'s step. Without that variable it supports no host and
 * the real SSH connector is used.
 */
public final class GatedHostConnectorProvider implements HostConnectorProvider {
    @Override
    public HostConnector create(Workspace workspace) {
        StepGate gate = StepGate.fromEnvironment();
        HostConnector ssh = new SshHostConnectorProvider().create(workspace);
        return new HostConnector() {
            @Override public boolean supports(HostConfig host) { return gate != null && ssh.supports(host); }
            @Override public HostChannel open(HostConfig host) throws DeployException {
                HostChannel ch = ssh.open(host);
                gate.reached("connect");
                return new Gated(ch, gate);
            }
        };
    }

    /** Counts the operations of one deploy to tell its steps apart. */
    private static final class Gated implements HostChannel {
        private final HostChannel real;
        private final StepGate gate;
        private int writes;
        private int links;
        private int configured;

        Gated(HostChannel real, StepGate gate) {
            this.real = real;
            this.gate = gate;
        }

        @Override public String hostId() { return real.hostId(); }
        @Override public ExecResult exec(List<String> argv, Duration timeout) throws DeployException { return real.exec(argv, timeout); }

        @Override
        public ExecResult execConfigured(String commandLine, Duration timeout) throws DeployException {
            if (++configured == 1) gate.reached("swapped");
            ExecResult r = real.execConfigured(commandLine, timeout);
            if (configured == 1) gate.reached("reloaded");
            return r;
        }

        @Override public Optional<byte[]> read(String path) throws DeployException { return real.read(path); }

        @Override
        public void write(String path, byte[] content, int mode) throws DeployException {
            if (++writes == 2) gate.reached("upload");
            real.write(path, content, mode);
        }

        @Override public void delete(String path) throws DeployException { real.delete(path); }
        @Override public void mkdirs(String path, int mode) throws DeployException { real.mkdirs(path, mode); }

        @Override
        public List<String> list(String dir) throws DeployException {
            if (configured > 0 && links == 1) gate.reached("verified");
            return real.list(dir);
        }

        @Override public Optional<String> readLink(String path) throws DeployException { return real.readLink(path); }

        @Override
        public void replaceLink(String target, String link, Duration timeout) throws DeployException {
            gate.reached(++links == 1 ? "swap" : "rollback");
            real.replaceLink(target, link, timeout);
        }

        @Override public void close() { real.close(); }
    }
}
