package dev.certops.root;

import dev.certops.alert.AlertService;
import dev.certops.alert.Alerts;
import dev.certops.alert.RetryPolicy;
import dev.certops.config.AlertsConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.HistoryConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostConnectors;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.history.Anchors;
import dev.certops.history.EventFeed;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryHealth;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.history.PostgresHistoryStore;
import dev.certops.lease.LeaseService;
import dev.certops.lease.Presence;
import dev.certops.operations.CertificateOperations;
import dev.certops.ratelimit.BudgetService;
import dev.certops.ratelimit.LedgerSnapshot;
import dev.certops.ratelimit.LimitTable;
import dev.certops.ratelimit.UsageLedger;
import dev.certops.runbook.action.RunbookServices;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.team.TeamAccess;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * An open workspace and the core services over it — the one thing both faces (CLI and console)
 * hold. Services are built lazily, once, and closed with the session. Features add their service
 * accessor here (estate, acme, budget, deploy, runbooks) so that the CLI and the console always
 * get the same, identically configured service.
 *
 * <h2>Team mode and leases</h2>
 * With a {@code history:} section in certops.yaml, history is the team's shared PostgreSQL and every
 * event's actor names the console too ({@code user@machine/console-id}). Work that changes the world
 * (deploy, issue, revoke, rollback, runbook steps that do those) takes a lease on its subject first and
 * holds it, renewed in the background, until the work ends:
 * <pre>{@code
 * try (HeldLease lease = session.leases().acquire(certificateId, "deploy", "runbook primary-ca-outage, run 42")) {
 *     ... the work; check lease.lost() between long steps ...
 * } catch (LeaseHeldException e) {
 *     // another console is at it: e.getMessage() names who, since when and why — show it, do nothing
 * }
 * }</pre>
 * {@link #historyHealth()} says whether the history answers; views built while it does not are stale.
 */
public class CompositionRoot implements CoreServices, AutoCloseable {
    private RunbookServices runbooks;
    private final Workspace workspace;
    private final Map<String, String> env;
    private final Clock clock;
    private final String actor;
    private CertopsConfig config;
    private HistoryStore history;
    private HostConnectors connectors;
    private UsageLedger ledger;
    private LedgerSnapshot ledgerSnapshot;
    /** Random, then this process's pid: a lease held by a console of this machine whose process is gone is taken over at once. */
    private final String consoleId = "c-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8) + "-" + ProcessHandle.current().pid();
    private HistoryDatabase database;
    private LeaseService leases;
    private Presence presence;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Optional<AlertService> alertService;
    private TeamAccess team;
    private CertificateOperations operations;

    public CompositionRoot(Workspace workspace, Map<String, String> env, Clock clock) {
        this.workspace = workspace;
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.actor = actorName(env);
    }

    public Workspace workspace() { return workspace; }
    public Map<String, String> env() { return env; }
    public Clock clock() { return clock; }
    /**
     * Who acts: in a team (team/allowed_signers) the principal of the key this person signs with,
     * else "user@machine"; recorded on every event.
     */
    public String actor() { return team().principalInFile().orElse(actor); }

    /** Who may do what here (team/allowed_signers, roles, the two-person rule); allows everything without the file. */
    public synchronized TeamAccess team() {
        if (team == null) team = new TeamAccess(workspace, env, clock);
        return team;
    }

    /** The validated configuration; a missing workspace is a ConfigException that says how to create one. */
    public synchronized CertopsConfig config() throws ConfigException {
        if (config == null) {
            if (!workspace.exists()) {
                throw new ConfigException(workspace.configFile(), 0, "", "no workspace here — create one with `certops init --workspace "
                        + workspace.root() + "` or point --workspace / $CERTOPS_HOME at an existing one");
            }
            config = workspace.loadConfig();
        }
        return config;
    }

    /** Re-reads certops.yaml (after the operator edited it). */
    public synchronized CertopsConfig reloadConfig() throws ConfigException {
        config = null;
        ledger = null;
        alertService = null;
        return config();
    }

    /** This console's instance id (recorded with leases; part of the actor in team mode). */
    public String consoleId() { return consoleId; }

    /** Where history lives: the configured shared PostgreSQL, else the workspace's SQLite file. */
    public synchronized HistoryDatabase historyDatabase() throws HistoryException {
        // certops.yaml once: when this session has read it, its history: section says where history is
        if (database == null) database = config != null ? HistoryStores.database(workspace, env, config.history()) : HistoryStores.database(workspace, env);
        return database;
    }

    public synchronized HistoryStore history() throws HistoryException {
        if (history == null) {
            HistoryDatabase db = historyDatabase();
            String who = db instanceof HistoryDatabase.Postgres ? actor() + "/" + consoleId : actor();
            history = HistoryStores.open(db, who, clock);
            // team mode: this console anchors the shared chain's head in its own workspace (state/), as a local history does
            if (history instanceof PostgresHistoryStore pg) pg.anchorIn(Anchors.team(workspace.stateDir()));
            if (history instanceof JdbcHistoryStore jdbc) team().attach(jdbc);
        }
        return history;
    }

    /** Whether history answers right now; never throws (an unreachable database is a health, not an error). */
    public HistoryHealth historyHealth() {
        try {
            return history().health();
        } catch (HistoryException e) {
            return HistoryHealth.unreachable(workspace.toString(), e.getMessage());
        }
    }

    /** Live history: subscribe(afterSeq, consumer) sees every console's new events within a second. */
    public synchronized EventFeed eventFeed() throws HistoryException {
        return new EventFeed(historyDatabase(), history());
    }

    /**
     * Announces this console in the history database (heartbeat until the session closes) and returns
     * the presence, whose {@code current()} lists the connected consoles and the leases they hold.
     */
    public synchronized Presence presence() throws HistoryException {
        if (presence == null) {
            history(); // opening history migrates the database: the consoles table exists after it
            presence = closeLater(Presence.join(historyDatabase(), actor(), consoleId, clock,
                    Presence.HEARTBEAT));
        }
        return presence;
    }

    /** Leases on what changes the world (see the class comment), in the same database as history. */
    public synchronized LeaseService leases() throws HistoryException {
        if (leases == null) {
            Duration ttl;
            try {
                ttl = config().history().map(HistoryConfig::leaseTtl).orElse(LeaseService.DEFAULT_TTL);
            } catch (ConfigException e) {
                throw new HistoryException(e.getMessage(), e);
            }
            leases = closeLater(new LeaseService(historyDatabase(), history(), actor(), consoleId, clock, ttl));
            team().productionDeploys(this::productionDeploy);
            leases.guardedBy(team()::checkLease);
        }
        return leases;
    }

    /**
     * The deploy service over this workspace's hosts: every deploy and rollback (CLI, console,
     * runbooks, renew) goes through it, recorded in this history — except a dry run, which records nothing.
     */
    public Deployer deployer(DeploySettings settings) throws HistoryException {
        return new Deployer(connectors(), settings.dryRun() ? Optional.empty() : Optional.of(history()),
                TlsProbe.withDefaults(), clock, settings, ServedEndpoints.BY_ADDRESS,
                name -> new String(secrets().read(name), StandardCharsets.UTF_8).strip().toCharArray());
    }

    public synchronized HostConnectors connectors() {
        if (connectors == null) connectors = HostConnectors.discover(workspace);
        return connectors;
    }

    /**
     * The rate-limit budget, from every order, issuance and failure in history (caught up on each
     * call, so it includes what happened since the last one). The first call starts from the ledger the
     * workspace kept ({@link LedgerSnapshot}) and reads only the events after it; the ledger is kept again
     * once it has counted enough new ones.
     */
    public synchronized BudgetService budget() throws ConfigException, HistoryException {
        if (ledger == null) {
            ledgerSnapshot = LedgerSnapshot.in(workspace.stateDir());
            ledger = ledgerSnapshot.open(LimitTable.from(config().cas()), history());
        }
        ledger.catchUp(history());
        ledgerSnapshot.keep(ledger);
        return new BudgetService(ledger, clock, BudgetService.DEFAULT_SAFETY_LINE);
    }

    /** The workspace's secrets/ folder (encrypted when CERTOPS_PASSPHRASE is set). */
    public SecretStore secrets() {
        return new SecretStore(workspace.secretsDir(), Workspace.passphrase(env));
    }

    /**
     * Where renew runs, drills and the status check report conditions: the channels of the
     * {@code alerts:} section, or {@link dev.certops.alert.Alerts#none()} when there are none.
     * Never throws from {@code report}: a broken channel is recorded in history, not raised.
     */
    public Alerts alerts() throws ConfigException, HistoryException {
        return alertService().<Alerts>map(a -> a).orElse(Alerts.none());
    }

    /** The configured alert service (test messages, channel health), empty when no channel is configured. */
    public synchronized Optional<AlertService> alertService() throws ConfigException, HistoryException {
        if (alertService == null) {
            AlertsConfig cfg = config().alerts();
            alertService = cfg.channels().isEmpty() ? Optional.empty()
                    : Optional.of(AlertService.configure(cfg, secrets(), history(), clock,
                            workspace.toString(), RetryPolicy.DEFAULT, RetryPolicy.Sleeper.REAL));
        }
        return alertService;
    }

    /** Runbook engine, catalog and actions over this session, built on first use. */
    public synchronized RunbookServices runbooks() throws HistoryException {
        if (runbooks == null) runbooks = RunbookServices.of(this, operations());
        return runbooks;
    }

    /**
     * Issue, deploy, roll back, revoke: the one operations object of this session, which the CLI, the
     * console, runbook steps and the renew workers all call (built on first use, once).
     */
    public synchronized CertificateOperations operations() {
        if (operations == null) operations = new CertificateOperations(this);
        return operations;
    }

    /** A deploy of this certificate reaches production unless every host it goes to is tagged drill: true. */
    private boolean productionDeploy(String certificateId) {
        try {
            CertopsConfig cfg = config();
            return cfg.certificate(certificateId).map(c -> c.hosts().isEmpty() || c.hosts().stream().anyMatch(h ->
                    cfg.hosts().stream().noneMatch(hc -> hc.id().equals(h) && hc.drill()))).orElse(true);
        } catch (ConfigException e) {
            return true;
        }
    }

    /** Registers something to close with the session (executors, connections). */
    public synchronized <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public synchronized void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try { closeables.get(i).close(); } catch (Exception ignored) { /* closing */ }
        }
        closeables.clear();
        leases = null;
        presence = null;
        alertService = null;
        if (history != null) {
            keepLedger(history);
            checkpoint(history);
            try { history.close(); } catch (HistoryException ignored) { /* closing */ }
            history = null;
        }
    }

    /**
     * At the end of a command that used the rate-limit budget: the ledger caught up with what the command itself recorded
     * (its orders and issuances) and kept, so the next command reads none of it again (here the code is warm: a few ms).
     */
    private void keepLedger(HistoryStore h) {
        if (ledger == null || ledgerSnapshot == null) return;
        try {
            ledger.catchUp(h);
            ledgerSnapshot.keep(ledger, 1);
        } catch (HistoryException | RuntimeException e) {
            // the next command counts from the file it finds, and from history
        }
        ledger = null;
    }

    /**
     * At the end of every command that wrote to the history (local, or team mode's as this console saw it): a signed checkpoint of its head
     * (see {@link dev.certops.history.Anchors}). A failure here is logged; the events are committed.
     */
    private void checkpoint(HistoryStore h) {
        if (!(h instanceof JdbcHistoryStore jdbc) || jdbc.anchors().isEmpty()) return;
        try {
            Optional<HistoryEvent> head = h.head();
            if (head.isEmpty()) return;
            jdbc.anchors().get().checkpoint(
                    new Anchors.Head(head.get().seq(), head.get().hash()), secrets(), clock.millis());
        } catch (Exception e) {
            LoggerFactory.getLogger(CompositionRoot.class).warn("could not sign a history checkpoint: {}", e.getMessage());
        }
    }

    private static String actorName(Map<String, String> env) {
        String user = env.getOrDefault("USER", System.getProperty("user.name"));
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = env.getOrDefault("HOSTNAME", "localhost");
        }
        return user + "@" + host;
    }
}
