package dev.certops.cli;

import dev.certops.alert.Alerts;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Workspace;
import dev.certops.crypto.Redactor;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.lease.LeaseHeldException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.UnknownCertificateException;
import dev.certops.operations.UnsettledDeployException;
import dev.certops.root.CompositionRoot;
import dev.certops.team.NotAllowedException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
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
    private CompositionRoot session;

    public CliContext(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err, Clock clock) {
        this.env = env;
        this.in = in;
        // every line a command prints passes the redactor: a receiver's error echoing a secret URL stays out of the terminal and CI logs
        this.out = new PrintWriter(Redactor.global().scrubbing(out), true);
        this.err = new PrintWriter(Redactor.global().scrubbing(err), true);
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

    /** The workspace and its services (config, history, ...), opened once per command. */
    public CompositionRoot session() {
        if (session == null) session = new CompositionRoot(workspace(), env, clock);
        return session;
    }

    /** The validated configuration; a missing workspace is a ConfigException that says how to create one. */
    public CertopsConfig config() throws ConfigException { return session().config(); }

    /** A configured certificate, or a usage error that names the known ones. */
    public CertificateConfig certificate(String id) throws ConfigException {
        CertopsConfig config = config();
        return config.certificate(id).orElseThrow(() -> new CommandFailedException(config.unknownCertificate(id), ExitCodes.USAGE));
    }

    /** The workspace's history. */
    public HistoryStore history() throws HistoryException { return session().history(); }

    /** Issue, deploy, roll back, revoke: the session's one operations object. */
    public CertificateOperations operations() { return session().operations(); }

    /**
     * Takes the lease on {@code subject} for work that changes the world, or fails the command naming
     * the console that holds it (who, since when, why). Close it when the work ends (try-with-resources).
     */
    public HeldLeases lease(String subject, String operation, String holder) throws Exception {
        return leased(() -> operations().lease(subject, operation, holder, out::println));
    }

    /** Work that takes a lease through the operations layer. */
    public interface LeasedWork<T> { T run() throws Exception; }

    /**
     * Runs {@code work}; a lease another console holds, a refusal by the team's rules, an unknown certificate
     * or an interrupted deploy that cannot be settled fail the command with the message that says why; any
     * other exception of the work passes through unchanged.
     */
    public <T> T leased(LeasedWork<T> work) throws Exception {
        try {
            return work.run();
        } catch (UnknownCertificateException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        } catch (ConfigException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.CONFIG);
        } catch (LeaseHeldException | UnsettledDeployException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.FAILED);
        } catch (NotAllowedException e) {
            throw Cli.notAllowed(e);
        }
    }

    /**
     * Where renew runs and the status check report alert conditions: the channels of certops.yaml's
     * {@code alerts:}, or none. Delivery failures never surface here; they are in the report and history.
     */
    public Alerts alerts() {
        try {
            return session().alerts();
        } catch (ConfigException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.CONFIG);
        } catch (HistoryException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.FAILED);
        }
    }

    /** "user@machine", recorded on every event. */
    public String actor() { return session().actor(); }

    @Override
    public void close() {
        if (session != null) session.close();
        out.flush();
        err.flush();
    }
}
