package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryUnwritableException;
import dev.certops.history.NewEvent;
import dev.certops.scan.TlsProbe;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploys a certificate version to its hosts, wave by wave, and rolls a host back on demand.
 * Everything is validated before the first connection; each step is a history event.
 */
public final class Deployer {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final HostConnectors connectors;
    private final Optional<HistoryStore> history;
    private final Clock clock;
    private final DeploySettings settings;
    private final ServedEndpoints served;
    private final ServedCheck check;
    private final ReleaseFiles.Passwords passwords;

    public Deployer(HostConnectors connectors, Optional<HistoryStore> history, TlsProbe probe, Clock clock,
                    DeploySettings settings, ServedEndpoints served) {
        this(connectors, history, probe, clock, settings, served, ReleaseFiles.Passwords.NONE);
    }

    /** {@code passwords} reads keystore passwords ({@code password: secret:NAME}) from the workspace's secrets. */
    public Deployer(HostConnectors connectors, Optional<HistoryStore> history, TlsProbe probe, Clock clock,
                    DeploySettings settings, ServedEndpoints served, ReleaseFiles.Passwords passwords) {
        this.passwords = passwords;
        this.connectors = connectors;
        this.history = history;
        this.clock = clock;
        this.settings = settings;
        this.served = served;
        this.check = new ServedCheck(probe, clock);
    }

    /**
     * Deploys {@code bundle} along the certificate's waves. {@code onlyHosts} (empty = all) limits the
     * rollout to some hosts, keeping their wave order. Throws before connecting anywhere when an
     * input is invalid; afterwards failures are outcomes in the result.
     */
    public RolloutResult deploy(CertificateConfig cert, List<HostConfig> knownHosts, DeployBundle bundle,
                                Set<String> onlyHosts, DeployListener listener) throws DeployException {
        return deploy(cert, knownHosts, bundle, onlyHosts, listener, releaseName(bundle), Optional.empty());
    }

    /**
     * The name of a new release of {@code bundle}, stamped now: "20261206T043512311Z-1a2b3c4d" (they sort by time).
     * A caller that shows a preview first names the release once and passes it to both the preview and the deploy.
     */
    public String releaseName(DeployBundle bundle) throws DeployException {
        String serial = bundle.leaf().getSerialNumber().toString(16);
        return STAMP.format(clock.instant()) + "-" + (serial.length() > 8 ? serial.substring(0, 8) : serial);
    }

    /** {@link #deploy(CertificateConfig, List, DeployBundle, Set, DeployListener)} into a release named beforehand. */
    public RolloutResult deploy(CertificateConfig cert, List<HostConfig> knownHosts, DeployBundle bundle,
                                Set<String> onlyHosts, DeployListener listener, String release) throws DeployException {
        return deploy(cert, knownHosts, bundle, onlyHosts, listener, release, Optional.empty());
    }

    /**
     * As {@link #deploy(CertificateConfig, List, DeployBundle, Set, DeployListener)}; with {@code forceReason}
     * a version the gate refuses (revoked, expired, not yet valid, a chain clients reject, names not covering
     * the endpoints) is deployed anyway, and the override is recorded with its reason and the problems.
     */
    public RolloutResult deploy(CertificateConfig cert, List<HostConfig> knownHosts, DeployBundle bundle,
                                Set<String> onlyHosts, DeployListener listener, Optional<String> forceReason) throws DeployException {
        return deploy(cert, knownHosts, bundle, onlyHosts, listener, releaseName(bundle), forceReason);
    }

    /** The deploy itself, into {@code release}, gated unless {@code forceReason} is given. */
    public RolloutResult deploy(CertificateConfig cert, List<HostConfig> knownHosts, DeployBundle bundle, Set<String> onlyHosts,
                                DeployListener listener, String release, Optional<String> forceReason) throws DeployException {
        RemotePaths.requireId("release", release);
        RemotePaths.requireId("certificate id", cert.id());
        RemotePaths.requireId("certificate id", bundle.certificateId());
        RemotePaths.requireId("version", bundle.versionLabel());
        if (!cert.id().equals(bundle.certificateId())) {
            throw new DeployException(null, "validate", "the version belongs to " + bundle.certificateId() + ", not " + cert.id(), null);
        }
        forceReason.ifPresent(r -> requireReason(r));
        List<String> overridden = BundleCheck.check(bundle, cert, clock.instant(), revokedSerials(cert.id()), forceReason);
        for (String only : onlyHosts) {
            if (!cert.hosts().contains(only)) {
                throw new DeployException(only, "validate", "is not in " + cert.id() + "'s deploy waves " + cert.waves(),
                        "pick hosts from the waves, or add the host to deploy.waves in certops.yaml");
            }
        }
        List<List<HostDeployment.Target>> waves = new ArrayList<>();
        for (List<String> wave : cert.waves()) {
            List<HostDeployment.Target> targets = new ArrayList<>();
            for (String id : wave) {
                if (!onlyHosts.isEmpty() && !onlyHosts.contains(id)) continue;
                targets.add(target(cert, knownHosts, id));
            }
            if (!targets.isEmpty()) waves.add(targets);
        }
        if (waves.isEmpty()) throw new DeployException(null, "validate", cert.id() + " has no host to deploy to", "add deploy.waves to the certificate in certops.yaml");
        Map<String, ReleaseFiles> files = new HashMap<>();
        Map<String, ReleaseFiles> byService = new HashMap<>();
        for (List<HostDeployment.Target> wave : waves) {
            for (HostDeployment.Target t : wave) {
                String service = t.host().service();
                ReleaseFiles f = byService.get(service);
                if (f == null) byService.put(service, f = ReleaseFiles.build(bundle, cert.deployment(), service, passwords));
                files.put(t.host().id(), f);
            }
        }
        if (!settings.dryRun()) {
            requireWritableHistory();
            recover(cert, knownHosts, listener);
            if (!overridden.isEmpty()) recordForced(cert.id(), "deploy", bundle.versionLabel(), forceReason.orElseThrow(), overridden);
        }
        String sha256 = bundle.leafSha256();
        String serial = bundle.leaf().getSerialNumber().toString(16);
        DeployJournal journal = new DeployJournal(settings.dryRun() ? Optional.empty() : history, listener, cert.id());
        DeployContext ctx = new DeployContext(connectors, check, settings);
        try (Interruptions.Running running = Interruptions.enter()) {
            return new Rollout(settings.concurrency(), journal).run(bundle, waves,
                    t -> new HostDeployment(t, bundle, files.get(t.host().id()), release, sha256, journal, ctx), Map.of("release", release, "serial", serial));
        }
    }

    /** Puts the previous release of one host back live, reloads and verifies it is served. */
    public HostOutcome rollback(CertificateConfig cert, List<HostConfig> knownHosts, String hostId, DeployListener listener) throws DeployException {
        return rollback(cert, knownHosts, hostId, listener, Optional.empty());
    }

    /** As {@link #rollback(CertificateConfig, List, String, DeployListener)}; the target release passes the deploy gate unless forced with a reason. */
    public HostOutcome rollback(CertificateConfig cert, List<HostConfig> knownHosts, String hostId, DeployListener listener,
                                Optional<String> forceReason) throws DeployException {
        RemotePaths.requireId("certificate id", cert.id());
        if (!cert.hosts().contains(hostId)) {
            throw new DeployException(hostId, "validate", cert.id() + " is not deployed to this host (its hosts: "
                    + (cert.hosts().isEmpty() ? "none" : String.join(", ", cert.hosts())) + "); nothing was changed",
                    "pick one of its hosts, or roll back the certificate that is deployed to " + hostId);
        }
        forceReason.ifPresent(r -> requireReason(r));
        Instant now = clock.instant();
        Set<String> revoked = revokedSerials(cert.id());
        HostDeployment.Target t = target(cert, knownHosts, hostId);
        requireWritableHistory();
        recover(cert, knownHosts, listener);
        DeployJournal journal = new DeployJournal(history, listener, cert.id());
        return new ManualRollback(t, journal, new DeployContext(connectors, check, settings), leaf -> {
            List<String> problems = BundleCheck.leafProblems(leaf, cert, now, revoked, cert.id()).stream().map(p -> p[0]).toList();
            if (problems.isEmpty()) return Optional.empty();
            if (forceReason.isEmpty()) return Optional.of(String.join("; ", problems) + " — roll back anyway with --force --reason \"...\" (recorded)");
            try {
                recordForced(cert.id(), "rollback", hostId, forceReason.get(), problems);
            } catch (DeployException e) {
                return Optional.of(e.getMessage());
            }
            return Optional.empty();
        }).run();
    }

    /**
     * Settles what a killed deploy left unverified (from the write-ahead record): a release swapped live
     * and never verified is verified now, or the release before it is put back. Runs before any other
     * work on the certificate; throws when a host cannot be settled (nothing else is then done).
     * Returns what was settled (empty when nothing was unfinished).
     */
    public List<Recovery> recover(CertificateConfig cert, List<HostConfig> knownHosts, DeployListener listener) throws DeployException {
        if (history.isEmpty() || settings.dryRun()) return List.of();
        List<UnfinishedDeploys.Unfinished> open;
        try {
            open = UnfinishedDeploys.find(history.get(), cert.id());
        } catch (HistoryException e) {
            throw new DeployException(null, "recovery", "cannot read the write-ahead record of " + cert.id() + ": " + e.getMessage(), null, false, e);
        }
        List<Recovery> settled = new ArrayList<>();
        DeployJournal journal = new DeployJournal(history, listener, cert.id());
        DeployContext ctx = new DeployContext(connectors, check, settings);
        for (UnfinishedDeploys.Unfinished u : open) {
            Recovery o = UnfinishedDeploys.settle(u, target(cert, knownHosts, u.host()), ctx, journal);
            settled.add(o);
            if (o.action().equals("failed")) {
                throw new DeployException(u.host(), "recovery", o.detail(), "fix the host's connection, then run the command again: "
                        + "it settles this release before doing anything else");
            }
        }
        return settled;
    }

    /**
     * The certificates whose write-ahead record holds a swap never settled (a deploy killed after its swap, or one
     * still running in another process): one pass over the deploy events. Empty without history.
     */
    public Set<String> withUnfinishedDeploys() throws DeployException {
        if (history.isEmpty() || settings.dryRun()) return Set.of();
        try {
            return UnfinishedDeploys.findAll(history.get()).keySet();
        } catch (HistoryException e) {
            throw new DeployException(null, "recovery", "cannot read the write-ahead record: " + e.getMessage(), null, false, e);
        }
    }

    /**
     * A release an interrupted deploy left unverified, settled: {@code action} is verified (it is live and
     * served), rolled-back (the release before it is live again), none (it was not live) or failed.
     */
    public record Recovery(String host, String release, String action, String detail) {
        public String summary() { return host + ": " + detail; }
    }

    private static void requireReason(String reason) {
        if (reason.isBlank()) throw new IllegalArgumentException("--force needs --reason \"...\": say why the gate is overridden (it is recorded)");
    }

    /** Serials of this certificate that history records as revoked (lower-case hex). */
    private Set<String> revokedSerials(String certificateId) throws DeployException {
        if (history.isEmpty()) return Set.of();
        try {
            Set<String> out = new HashSet<>();
            for (HistoryEvent e : history.get().query(EventQuery.all()
                    .kind(EventKinds.ACME_REVOKED).subject(certificateId))) {
                Matcher m = Pattern.compile("\"serial\":\"([0-9a-fA-F]+)\"").matcher(e.details());
                if (m.find()) out.add(m.group(1).toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", ""));
            }
            return out;
        } catch (HistoryException e) {
            throw new DeployException(null, "validate", "cannot read which versions were revoked: " + e.getMessage(), null, false, e);
        }
    }

    private void recordForced(String id, String operation, String what, String reason, List<String> problems) throws DeployException {
        if (history.isEmpty()) return;
        try {
            history.get().appendIntent(new NewEvent(EventKinds.DEPLOY_FORCED, id, "forced", details(
                    "operation", operation, "target", what, "reason", reason, "problems", problems)));
        } catch (HistoryUnwritableException e) {
            throw new DeployException(null, null, e.getMessage(), null, false, e);
        }
    }

    /** Before connecting anywhere: the history must be able to take this deploy's records. */
    private void requireWritableHistory() throws DeployException {
        if (history.isEmpty()) return;
        try {
            history.get().checkWritable();
        } catch (HistoryUnwritableException e) {
            throw new DeployException(null, null, e.getMessage(), null, false, e);
        }
    }

    /**
     * Takes what {@code hostId} serves today for {@code cert} into releases/ as release zero, without a
     * moment of nothing served ({@link Adoption}); returns one line saying what was adopted.
     */
    public String adopt(CertificateConfig cert, List<HostConfig> knownHosts, String hostId, Optional<String> from, DeployListener listener) throws DeployException {
        RemotePaths.requireId("certificate id", cert.id());
        if (!cert.hosts().contains(hostId)) {
            throw new DeployException(hostId, "validate", cert.id() + " is not deployed to this host (its hosts: "
                    + (cert.hosts().isEmpty() ? "none" : String.join(", ", cert.hosts())) + "); nothing was changed",
                    "add the host to " + cert.id() + "'s deploy.waves first");
        }
        HostDeployment.Target t = target(cert, knownHosts, hostId);
        Adoption.Adopted a = new Adoption(t, new DeployJournal(history, listener, cert.id()), new DeployContext(connectors, check, settings)).run(from);
        return hostId + ": adopted " + a.from() + " as release " + a.release() + " (serial " + a.serial() + "), live -> releases/" + a.release()
                + (a.linkedFiles().isEmpty() ? "" : "; these files now link into live/: " + String.join(", ", a.linkedFiles()))
                + a.verifyProblem().map(p -> " — WARNING: " + p).orElse(t.endpoints().isEmpty() ? " — " + HostOutcome.NOT_VERIFIED : " — still served")
                + ". The next deploy can roll back to it.";
    }

    private HostDeployment.Target target(CertificateConfig cert, List<HostConfig> knownHosts, String id) throws DeployException {
        RemotePaths.requireId("host id", id);
        HostConfig host = knownHosts.stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow(() ->
                new DeployException(id, "validate", "no host entry with this id", "add it under hosts: in certops.yaml, or fix " + cert.id() + "'s deploy waves"));
        RemotePaths paths = RemotePaths.forHost(host, host.certDirFor(cert));
        return new HostDeployment.Target(host, paths, served.endpointsFor(host, cert), cert.deployment());
    }

    static Map<String, Object> details(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static NewEvent event(String kind, String subject, boolean ok, Map<String, Object> details) {
        return new NewEvent(kind, subject, ok ? "ok" : "failed", details);
    }

    static final String HOST_FINISHED = EventKinds.DEPLOY_HOST_FINISHED;
}
