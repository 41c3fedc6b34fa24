package dev.certops.estate;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.history.HistoryException;
import dev.certops.scan.ClientTrust;
import dev.certops.scan.CrlCache;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The estate: every endpoint of every configured certificate and every extra watched endpoint
 * ({@code endpoints:}), read over TLS with the right SNI, and every deployed copy read from its
 * host's disk through the deploy port — judged by the thresholds, a TLS client's verdict (trust
 * anchors: Java's plus the top-level {@code trust:} files), and divergence. Returns immutable snapshots (a view binds to {@link #last()} and
 * re-renders on each new snapshot). {@link #scan()} records each scan and each status change in
 * history.
 */
public final class EstateService {
    /** Probes are I/O bound (connect, wait for the server); this many run at once by default. */
    public static final int DEFAULT_PARALLELISM = 64;

    private final CoreServices session;
    private final TlsProbe probe;
    private final int parallelism;
    private final CrlCache crls;
    private final ChainVerdicts verdicts = new ChainVerdicts();
    private volatile EstateSnapshot last;

    /** Chain-only probes ({@link TlsProbe#forScanning()}), {@value #DEFAULT_PARALLELISM} at once. */
    public EstateService(CoreServices session) { this(session, TlsProbe.forScanning(), DEFAULT_PARALLELISM); }

    public EstateService(CoreServices session, TlsProbe probe, int parallelism) {
        this.session = session;
        this.probe = probe;
        this.parallelism = parallelism;
        this.crls = new CrlCache(session.clock(), probe.handshakeTimeout());
    }

    /** Scans, records the scan and its status changes in history, and returns the snapshot with "since when" filled in. */
    public EstateSnapshot scan() throws ConfigException, HistoryException, InterruptedException {
        Map<String, StatusLog.Last> previous = new HashMap<>();
        EstateSnapshot scanned = scan(() -> previous.putAll(new StatusLog(session.history()).previous()));
        EstateSnapshot s;
        try (StartupTrace.Phase p = StartupTrace.phase("scan: recorded in history")) {
            s = new StatusLog(session.history()).record(scanned, previous);
        }
        last = s;
        return s;
    }

    /** Scans without recording (previews, impact queries, benchmarks). */
    public EstateSnapshot scanOnly() throws ConfigException, HistoryException, InterruptedException {
        return scan(() -> { });
    }

    /** What a scan reads from history while its probes are out. */
    private interface WhileProbing {
        void read() throws HistoryException;
    }

    /**
     * Probes first: every probe and host read starts as soon as the configuration says what to read, and
     * history, the CA names, certops' own revocations and the trust anchors are read while the servers answer.
     */
    private EstateSnapshot scan(WhileProbing alsoRead) throws ConfigException, HistoryException, InterruptedException {
        Instant start = session.clock().instant();
        long t0 = System.nanoTime();
        CertopsConfig cfg = session.config();
        Set<Endpoint> endpoints = new LinkedHashSet<>();
        Map<String, HostConfig> hosts = new LinkedHashMap<>();
        List<EstateScanner.Disk> disks = new ArrayList<>();
        for (CertificateConfig c : cfg.certificates()) {
            endpoints.addAll(c.endpoints());
            for (String h : c.hosts()) cfg.host(h).ifPresent(hc -> {
                hosts.put(h, hc);
                disks.add(new EstateScanner.Disk(hc, hc.certDirFor(c)));
            });
        }
        endpoints.addAll(cfg.endpoints());
        // Java's trust store judges what is served or deployed; with nothing of either (certificates not yet placed
        // anywhere) it is not read at all (~140 certificates parsed on a thread of their own). With trust: files of an
        // internal CA, it is read only once a chain that does not end at one of their roots is served (EstateScanner).
        boolean judged = !endpoints.isEmpty() || !disks.isEmpty();
        // a trust: file that cannot be used stops the scan before anything is probed
        ClientTrust trust = trust(cfg);
        if (judged && !trust.hasOwnRoots()) ClientTrust.readJavaRootsAhead();
        EstateScanner.Started probing = new EstateScanner(probe, session::connectors, parallelism, start, crls, verdicts)
                .start(endpoints, disks, trust);
        CaNames caNames;
        Map<String, String> revoked;
        try (StartupTrace.Phase p = StartupTrace.phase("scan: history read while probing")) {
            try (StartupTrace.Phase q = StartupTrace.phase("CA names")) {
                caNames = CaNames.learn(cfg, session.history(), new CertificateVersions(session.workspace(), session.secrets()));
            }
            try (StartupTrace.Phase q = StartupTrace.phase("certops' own revocations")) {
                revoked = Revocation.byHistory(session.history());
            }
            try (StartupTrace.Phase q = StartupTrace.phase("previous statuses")) {
                alsoRead.read();
            }
        }
        EstateScanner.Results read = judged ? judged(probing, trust) : new EstateScanner.Results(Map.of(), Map.of());
        Judge judge = new Judge(cfg.thresholds(), start, caNames, cfg::host, revoked);
        List<CertificateView> certs = new ArrayList<>();
        List<EndpointView> extra;
        try (StartupTrace.Phase p = StartupTrace.phase("scan: endpoints and certificates judged")) {
            for (CertificateConfig c : cfg.certificates()) {
                List<EndpointView> eps = c.endpoints().stream().map(e -> judge.endpoint(Optional.of(c.id()), e, read.endpoints().get(e))).toList();
                certs.add(judge.certificate(c, eps, deployments(judge, c, hosts, read.hosts())));
            }
            extra = cfg.endpoints().stream().map(e -> judge.endpoint(Optional.empty(), e, read.endpoints().get(e))).toList();
        }
        EstateSnapshot s = new EstateSnapshot(start, Duration.ofNanos(System.nanoTime() - t0), certs, extra, Map.of());
        last = s;
        return s;
    }

    /** What the probes and host reads found, each chain judged as a client trusting Java's roots and the trust: files would. */
    private static EstateScanner.Results judged(EstateScanner.Started probing, ClientTrust trust) throws InterruptedException {
        try (StartupTrace.Phase p = StartupTrace.phase("scan: probes awaited, chains judged")) {
            return probing.finish(trust);
        }
    }

    /** Java's trust store plus the top-level {@code trust:} files; an unreadable file stops the scan with its name (a verdict without it would be wrong). */
    static ClientTrust trust(CertopsConfig cfg) throws ConfigException {
        return ClientTrust.with(trustFiles(cfg));
    }

    /** The certificates of the top-level {@code trust:} files, each file read and checked. */
    private static List<X509Certificate> trustFiles(CertopsConfig cfg) throws ConfigException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Path f : cfg.trustFiles()) out.addAll(ClientTrust.read(f));
        } catch (IOException e) {
            throw new ConfigException(cfg.file(), 0, "trust", e.getMessage());
        }
        return out;
    }

    /** The latest snapshot of this service, if it has scanned. */
    public Optional<EstateSnapshot> last() { return Optional.ofNullable(last); }

    private static List<DeploymentView> deployments(Judge judge, CertificateConfig c, Map<String, HostConfig> hosts, Map<String, EstateScanner.LiveCopy> live) {
        List<DeploymentView> out = new ArrayList<>();
        for (String id : c.hosts()) {
            HostConfig h = hosts.get(id);
            if (h == null) continue;
            EstateScanner.LiveCopy copy = live.get(EstateScanner.Disk.key(id, h.certDirFor(c)));
            if (copy == null) continue;
            out.add(judge.deployment(c, h, copy));
        }
        return out;
    }
}
