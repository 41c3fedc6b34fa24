package dev.certops.estate;

import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnectors;
import dev.certops.deploy.RemotePaths;
import dev.certops.scan.ClientTrust;
import dev.certops.scan.CrlCache;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import dev.certops.startup.StartupTrace;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The I/O half of a scan: probes every endpoint in one batch of non-blocking probes
 * ({@link TlsProbe#fetchAll}: a silent endpoint holds a socket until its deadline, never a thread;
 * STARTTLS dialogues and servers that speak only TLS 1.0 / 1.1 included) and reads every host's
 * live copy on a bounded pool, so a slow host holds one thread, never the scan. Each distinct chain
 * is judged once per scan; its analysis and path to a trusted root come from {@link ChainVerdicts}.
 */
final class EstateScanner {

    /**
     * A host's live copy: the release the link names and the leaf, or why it could not be read.
     *
     * @param deployed false when nothing was ever deployed there (no live fullchain.pem): not a problem of the host
     */
    record LiveCopy(Optional<String> release, Optional<CertificateInfo> leaf, Optional<String> error, boolean deployed) {
        static LiveCopy read(Optional<String> release, CertificateInfo leaf) { return new LiveCopy(release, Optional.of(leaf), Optional.empty(), true); }

        static LiveCopy unreadable(String why) { return new LiveCopy(Optional.empty(), Optional.empty(), Optional.of(why), true); }
    }

    /** One certificate's folder on one host, read from disk. */
    record Disk(HostConfig host, String certDir) {
        String key() { return key(host.id(), certDir); }
        static String key(String hostId, String certDir) { return hostId + " " + certDir; }
    }

    /** Everything read in one scan; {@code hosts} is keyed by {@link Disk#key()}. */
    record Results(Map<Endpoint, Observation> endpoints, Map<String, LiveCopy> hosts) { }

    private final TlsProbe probe;
    private final Supplier<HostConnectors> connectors;
    private final int parallelism;
    private final Instant now;
    private final CrlCache crls;
    private final ChainVerdicts verdicts;

    /** @param connectors asked for only when there are hosts to read (finding the deploy ports loads the SSH module) */
    EstateScanner(TlsProbe probe, Supplier<HostConnectors> connectors, int parallelism, Instant now, CrlCache crls, ChainVerdicts verdicts) {
        if (parallelism < 1) throw new IllegalArgumentException("scan parallelism must be at least 1 (got " + parallelism + ")");
        this.probe = probe;
        this.connectors = connectors;
        this.parallelism = parallelism;
        this.now = now;
        this.crls = crls;
        this.verdicts = verdicts;
    }

    /** Starts and finishes a scan: {@link #start}, then {@link Started#finish} with {@code trust}. */
    Results run(Collection<Endpoint> endpoints, Collection<Disk> disks, ClientTrust trust) throws InterruptedException {
        return start(endpoints, disks, trust).finish(trust);
    }

    /**
     * Starts every probe and every host's read, and returns at once: the caller reads what the verdicts need
     * (history, trust anchors) while the servers answer, then {@linkplain Started#finish finishes}.
     */
    Started start(Collection<Endpoint> endpoints, Collection<Disk> disks, ClientTrust trust) {
        Map<String, List<Disk>> hosts = new LinkedHashMap<>();
        for (Disk d : disks) hosts.computeIfAbsent(d.host().id(), k -> new ArrayList<>()).add(d);
        if (endpoints.isEmpty() && hosts.isEmpty()) return new Started(endpoints, Map.of(), hosts, Map.of(), null);
        Map<Endpoint, CompletableFuture<ServedChain>> served;
        try (StartupTrace.Phase p = StartupTrace.phase("scan: probes started")) {
            served = probe.fetchAll(endpoints);
        }
        // Java's roots, read on a thread of their own as soon as a chain that may need them is served (with trust: files,
        // an estate of an internal CA's certificates never reads them; the verdicts read what they need in any case)
        if (trust.hasOwnRoots()) {
            for (CompletableFuture<ServedChain> f : served.values()) {
                f.thenAccept(c -> {
                    if (trust.mayNeedJava(c.chain())) ClientTrust.readJavaRootsAhead();
                });
            }
            if (!hosts.isEmpty()) ClientTrust.readJavaRootsAhead(); // deployed copies are judged too: no chain to look at yet
        }
        ExecutorService pool = null;
        Map<String, Future<Map<String, LiveCopy>>> live = new LinkedHashMap<>();
        if (!hosts.isEmpty()) {
            HostConnectors hostConnectors = connectors.get();
            pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, hosts.size())), r -> {
                Thread t = new Thread(r, "certops-scan");
                t.setDaemon(true);
                return t;
            });
            for (List<Disk> onHost : hosts.values()) live.put(onHost.get(0).host().id(), pool.submit(() -> readLive(hostConnectors, onHost)));
        }
        return new Started(endpoints, served, hosts, live, pool);
    }

    /** A scan under way: probes and host reads started. */
    final class Started {
        private final Collection<Endpoint> endpoints;
        private final Map<Endpoint, CompletableFuture<ServedChain>> served;
        private final Map<String, List<Disk>> hosts;
        private final Map<String, Future<Map<String, LiveCopy>>> live;
        private final ExecutorService pool;

        private Started(Collection<Endpoint> endpoints, Map<Endpoint, CompletableFuture<ServedChain>> served, Map<String, List<Disk>> hosts,
                        Map<String, Future<Map<String, LiveCopy>>> live, ExecutorService pool) {
            this.endpoints = endpoints;
            this.served = served;
            this.hosts = hosts;
            this.live = live;
            this.pool = pool;
        }

        /** Waits for every probe and host, judging each distinct chain as a client trusting {@code trust} would. */
        Results finish(ClientTrust trust) throws InterruptedException {
            if (served.isEmpty() && live.isEmpty()) return new Results(Map.of(), Map.of());
            try {
                Map<List<X509Certificate>, Observation.Served> analysed = new ConcurrentHashMap<>();
                ClientVerdict.Paths paths = verdicts.paths();
                Map<Endpoint, Observation> outE = new LinkedHashMap<>();
                for (Endpoint e : endpoints) outE.put(e, observe(served.get(e), analysed, trust, paths));
                Map<String, LiveCopy> outH = new LinkedHashMap<>();
                for (var f : live.entrySet()) {
                    LiveCopy failed = LiveCopy.unreadable("reading the live copy failed unexpectedly: " + f.getKey());
                    Map<String, LiveCopy> read = await(f.getValue(), ex -> Map.of());
                    for (Disk d : hosts.get(f.getKey())) outH.put(d.key(), read.getOrDefault(d.key(), failed));
                }
                return new Results(outE, outH);
            } finally {
                if (pool != null) pool.shutdownNow();
            }
        }
    }

    private Observation observe(CompletableFuture<ServedChain> probed, Map<List<X509Certificate>, Observation.Served> analysed, ClientTrust trust,
                                ClientVerdict.Paths paths) throws InterruptedException {
        try {
            return observed(TlsProbe.await(probed), analysed, trust, paths);
        } catch (ProbeException ex) {
            return new Observation.Failed(ex);
        }
    }

    /** Each distinct chain is judged once per scan (validity, CRL); what does not depend on the clock comes from {@link ChainVerdicts}. */
    private Observation observed(ServedChain chain, Map<List<X509Certificate>, Observation.Served> analysed, ClientTrust trust, ClientVerdict.Paths paths) {
        Observation.Served known = analysed.computeIfAbsent(chain.chain(), c -> {
            ChainVerdicts.Analysed a = verdicts.analyse(c);
            ClientVerdict.Chain verdict = ClientVerdict.of(c, a.report(), trust, now, paths).and(Revocation.byCrl(crls, a.report()));
            return new Observation.Served(chain, a.leaf(), a.report(), verdict);
        });
        return new Observation.Served(chain, known.leaf(), known.report(), known.verdict());
    }

    /** Every certificate folder of one host over one connection. */
    private static Map<String, LiveCopy> readLive(HostConnectors connectors, List<Disk> disks) {
        HostConfig h = disks.get(0).host();
        Map<String, LiveCopy> out = new LinkedHashMap<>();
        try (HostChannel ch = connectors.open(h)) {
            for (Disk d : disks) out.put(d.key(), readLive(ch, h, d.certDir()));
        } catch (Exception e) {
            LoggerFactory.getLogger(EstateScanner.class).debug("connecting to {} failed", h.id(), e);
            for (Disk d : disks) out.putIfAbsent(d.key(), LiveCopy.unreadable("cannot read " + d.certDir() + "/live on " + h.id() + ": " + e.getMessage()));
        }
        return out;
    }

    private static LiveCopy readLive(HostChannel ch, HostConfig h, String certDir) {
        String live = certDir + "/live";
        try {
            Optional<String> release = ch.readLink(live).map(t -> RemotePaths.releaseOf(t).orElse(t.substring(t.lastIndexOf('/') + 1)));
            Optional<byte[]> pem = ch.read(live + "/" + RemotePaths.FULLCHAIN);
            if (pem.isEmpty() && release.isPresent()) pem = ch.read(live + "/" + RemotePaths.CERT); // files: without fullchain (keystores only)
            if (pem.isEmpty()) {
                return new LiveCopy(release, Optional.empty(), Optional.of("nothing deployed yet: " + live + "/" + RemotePaths.FULLCHAIN
                        + " does not exist — deploy with `certops deploy`"), false);
            }
            var chain = PemReader.readCertificates(new String(pem.get(), StandardCharsets.US_ASCII), h.id() + ":" + live + "/" + RemotePaths.FULLCHAIN);
            return LiveCopy.read(release, CertificateInfo.from(chain.get(0)));
        } catch (Exception e) {
            LoggerFactory.getLogger(EstateScanner.class).debug("reading the live copy on {} failed", h.id(), e);
            return LiveCopy.unreadable("cannot read " + live + " on " + h.id() + ": " + e.getMessage());
        }
    }

    private static <T> T await(Future<T> f, Function<Throwable, T> onFailure) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return onFailure.apply(e.getCause());
        }
    }

}
