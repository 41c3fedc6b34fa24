package dev.certops.estate;

import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.ChainReport;
import dev.certops.crypto.PemReader;
import dev.certops.config.Endpoint.StartTls;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnectors;
import dev.certops.deploy.RemotePaths;
import dev.certops.scan.ClientTrust;
import dev.certops.scan.CrlCache;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O half of a scan: probes every endpoint in one batch of non-blocking probes
 * ({@link TlsProbe#fetchAll}: a silent endpoint holds a socket until its deadline, never a thread)
 * and reads every host's live copy on a bounded pool, so a slow host holds one thread, never the
 * scan. STARTTLS endpoints, and servers that refuse both TLS 1.2 and 1.3 in the batch (read again
 * with the legacy probe), go through the blocking probe on the pool. Each distinct chain is
 * analysed and validated (a client's verdict) once.
 */
final class EstateScanner {
    private static final Logger LOG = LoggerFactory.getLogger(EstateScanner.class);

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
    private final HostConnectors connectors;
    private final int parallelism;
    private final ClientTrust trust;
    private final Instant now;
    private final CrlCache crls;

    EstateScanner(TlsProbe probe, HostConnectors connectors, int parallelism, ClientTrust trust, Instant now, CrlCache crls) {
        if (parallelism < 1) throw new IllegalArgumentException("scan parallelism must be at least 1 (got " + parallelism + ")");
        this.probe = probe;
        this.connectors = connectors;
        this.parallelism = parallelism;
        this.trust = trust;
        this.now = now;
        this.crls = crls;
    }

    Results run(Collection<Endpoint> endpoints, Collection<Disk> disks) throws InterruptedException {
        Map<String, List<Disk>> hosts = new LinkedHashMap<>();
        for (Disk d : disks) hosts.computeIfAbsent(d.host().id(), k -> new java.util.ArrayList<>()).add(d);
        if (endpoints.isEmpty() && hosts.isEmpty()) return new Results(Map.of(), Map.of());
        List<Endpoint> batch = endpoints.stream().filter(e -> e.starttls() == StartTls.NONE).toList();
        Map<Endpoint, CompletableFuture<ServedChain>> served = probe.fetchAll(batch);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, hosts.size() + endpoints.size() - batch.size() + 4)), r -> {
            Thread t = new Thread(r, "certops-scan");
            t.setDaemon(true);
            return t;
        });
        Map<List<X509Certificate>, Observation.Served> analysed = new ConcurrentHashMap<>();
        try {
            Map<String, Future<Map<String, LiveCopy>>> live = new LinkedHashMap<>();
            for (List<Disk> onHost : hosts.values()) live.put(onHost.get(0).host().id(), pool.submit(() -> readLive(onHost)));
            Map<Endpoint, Future<Observation>> blocking = new LinkedHashMap<>();
            for (Endpoint e : endpoints) if (!served.containsKey(e)) blocking.put(e, pool.submit(() -> observe(e, analysed)));
            Map<Endpoint, Observation> outE = new LinkedHashMap<>();
            for (Endpoint e : endpoints) {
                CompletableFuture<ServedChain> batched = served.get(e);
                Observation o = batched != null ? observe(batched, analysed) : null;
                if (o instanceof Observation.Failed failed && failed.failure().reason() == ProbeException.Reason.HANDSHAKE) {
                    blocking.put(e, pool.submit(() -> observe(e, analysed))); // TLS 1.0 / 1.1 only? the blocking probe reads it
                } else if (o != null) {
                    outE.put(e, o);
                }
            }
            for (var f : blocking.entrySet()) outE.put(f.getKey(), await(f.getValue(), ex -> new Observation.Failed(
                    new ProbeException(f.getKey(), ProbeException.Reason.HANDSHAKE, "the probe failed unexpectedly: " + ex))));
            Map<Endpoint, Observation> ordered = new LinkedHashMap<>();
            for (Endpoint e : endpoints) ordered.put(e, outE.get(e));
            outE = ordered;
            Map<String, LiveCopy> outH = new LinkedHashMap<>();
            for (var f : live.entrySet()) {
                LiveCopy failed = LiveCopy.unreadable("reading the live copy failed unexpectedly: " + f.getKey());
                Map<String, LiveCopy> read = await(f.getValue(), ex -> Map.of());
                for (Disk d : hosts.get(f.getKey())) outH.put(d.key(), read.getOrDefault(d.key(), failed));
            }
            return new Results(outE, outH);
        } finally {
            pool.shutdownNow();
        }
    }

    private Observation observe(CompletableFuture<ServedChain> probed, Map<List<X509Certificate>, Observation.Served> analysed)
            throws InterruptedException {
        try {
            return observed(TlsProbe.await(probed), analysed);
        } catch (ProbeException ex) {
            return new Observation.Failed(ex);
        }
    }

    private Observation observe(Endpoint e, Map<List<X509Certificate>, Observation.Served> analysed) {
        try {
            return observed(probe.fetch(e), analysed);
        } catch (ProbeException ex) {
            return new Observation.Failed(ex);
        }
    }

    private Observation observed(ServedChain chain, Map<List<X509Certificate>, Observation.Served> analysed) {
        Observation.Served known = analysed.computeIfAbsent(chain.chain(), c -> {
            ChainReport report = ChainCheck.analyze(c);
            ClientVerdict.Chain verdict = ClientVerdict.of(c, report, trust, now).and(Revocation.byCrl(crls, report));
            return new Observation.Served(chain, CertificateInfo.from(chain.leaf()), report, verdict);
        });
        return new Observation.Served(chain, known.leaf(), known.report(), known.verdict());
    }

    /** Every certificate folder of one host over one connection. */
    private Map<String, LiveCopy> readLive(List<Disk> disks) {
        HostConfig h = disks.get(0).host();
        Map<String, LiveCopy> out = new LinkedHashMap<>();
        try (HostChannel ch = connectors.open(h)) {
            for (Disk d : disks) out.put(d.key(), readLive(ch, h, d.certDir()));
        } catch (Exception e) {
            LOG.debug("connecting to {} failed", h.id(), e);
            for (Disk d : disks) out.putIfAbsent(d.key(), LiveCopy.unreadable("cannot read " + d.certDir() + "/live on " + h.id() + ": " + e.getMessage()));
        }
        return out;
    }

    private LiveCopy readLive(HostChannel ch, HostConfig h, String certDir) {
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
            LOG.debug("reading the live copy on {} failed", h.id(), e);
            return LiveCopy.unreadable("cannot read " + live + " on " + h.id() + ": " + e.getMessage());
        }
    }

    private static <T> T await(Future<T> f, java.util.function.Function<Throwable, T> onFailure) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return onFailure.apply(e.getCause());
        }
    }

}
