package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.scan.TlsProbe;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
        return deploy(cert, knownHosts, bundle, onlyHosts, listener, releaseName(bundle));
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
        RemotePaths.requireId("release", release);
        RemotePaths.requireId("certificate id", cert.id());
        RemotePaths.requireId("certificate id", bundle.certificateId());
        RemotePaths.requireId("version", bundle.versionLabel());
        if (!cert.id().equals(bundle.certificateId())) {
            throw new DeployException(null, "validate", "the version belongs to " + bundle.certificateId() + ", not " + cert.id(), null);
        }
        BundleCheck.check(bundle, cert, clock.instant());
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
        Map<String, ReleaseFiles> files = new java.util.HashMap<>();
        Map<String, ReleaseFiles> byService = new java.util.HashMap<>();
        for (List<HostDeployment.Target> wave : waves) {
            for (HostDeployment.Target t : wave) {
                String service = t.host().service();
                ReleaseFiles f = byService.get(service);
                if (f == null) byService.put(service, f = ReleaseFiles.build(bundle, cert.deployment(), service, passwords));
                files.put(t.host().id(), f);
            }
        }
        String sha256 = bundle.leafSha256();
        String serial = bundle.leaf().getSerialNumber().toString(16);
        DeployJournal journal = new DeployJournal(settings.dryRun() ? Optional.empty() : history, listener, cert.id());
        DeployContext ctx = new DeployContext(connectors, check, settings);
        return new Rollout(settings.concurrency(), journal).run(bundle, waves,
                t -> new HostDeployment(t, bundle, files.get(t.host().id()), release, sha256, journal, ctx), Map.of("release", release, "serial", serial));
    }

    /** Puts the previous release of one host back live, reloads and verifies it is served. */
    public HostOutcome rollback(CertificateConfig cert, List<HostConfig> knownHosts, String hostId, DeployListener listener) throws DeployException {
        RemotePaths.requireId("certificate id", cert.id());
        if (!cert.hosts().contains(hostId)) {
            throw new DeployException(hostId, "validate", cert.id() + " is not deployed to this host (its hosts: "
                    + (cert.hosts().isEmpty() ? "none" : String.join(", ", cert.hosts())) + "); nothing was changed",
                    "pick one of its hosts, or roll back the certificate that is deployed to " + hostId);
        }
        HostDeployment.Target t = target(cert, knownHosts, hostId);
        DeployJournal journal = new DeployJournal(history, listener, cert.id());
        return new ManualRollback(t, journal, new DeployContext(connectors, check, settings)).run();
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
