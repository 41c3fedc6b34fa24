package dev.certops.cli;

import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a command needs from the outside world: environment, streams, clock, and the workspace
 * with its configuration and history, opened lazily and closed at the end of the command.
 * Tests build one with their own streams and environment.
 */
public final class CliContext implements AutoCloseable {
    private final Map<String, String> env;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private Optional<Path> workspaceOption = Optional.empty();
    private CertopsConfig config;
    private HistoryStore history;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    public CliContext(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, Clock clock) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), Clock.systemUTC());
    }

    void setWorkspaceOption(Path p) { this.workspaceOption = Optional.ofNullable(p); }

    public Map<String, String> env() { return env; }
    public InputStream in() { return in; }
    public PrintWriter out() { return out; }
    public PrintWriter err() { return err; }
    public Clock clock() { return clock; }

    public Workspace workspace() { return Workspace.locate(workspaceOption, env); }

    /** The validated configuration; a missing workspace is a ConfigException that says how to create one. */
    public CertopsConfig config() throws ConfigException {
        if (config == null) {
            Workspace ws = workspace();
            if (!ws.exists()) {
                throw new ConfigException(ws.configFile(), 0, "", "no workspace here — create one with `certops init --workspace "
                        + ws.root() + "` or point --workspace / $CERTOPS_HOME at an existing one");
            }
            config = ws.loadConfig();
        }
        return config;
    }

    /** The workspace's history, opened once per command. */
    public HistoryStore history() throws HistoryException {
        if (history == null) {
            history = dev.certops.history.HistoryStores.open(workspace(), actor());
        }
        return history;
    }

    /** Registers something to close when the command ends (connections, executors). */
    public <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /** "user@machine", recorded on every event. */
    public String actor() {
        String user = env.getOrDefault("USER", System.getProperty("user.name"));
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = env.getOrDefault("HOSTNAME", "localhost");
        }
        return user + "@" + host;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try { closeables.get(i).close(); } catch (Exception ignored) { /* closing at exit */ }
        }
        if (history != null) {
            try { history.close(); } catch (HistoryException ignored) { /* closing at exit */ }
        }
        out.flush();
        err.flush();
    }
}
