package dev.certops.estate;

import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.ChainReport;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.HostConnectors;
import dev.certops.deploy.RemotePaths;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
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
 * scan. Each distinct chain is analysed once.
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

    /** Everything read in one scan. */
    record Results(Map<Endpoint, Observation> endpoints, Map<String, LiveCopy> hosts) { }

    private final TlsProbe probe;
    private final HostConnectors connectors;
    private final int parallelism;

    EstateScanner(TlsProbe probe, HostConnectors connectors, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("scan parallelism must be at least 1 (got " + parallelism + ")");
        this.probe = probe;
        this.connectors = connectors;
        this.parallelism = parallelism;
    }

    Results run(Collection<Endpoint> endpoints, Collection<HostConfig> hosts) throws InterruptedException {
        if (endpoints.isEmpty() && hosts.isEmpty()) return new Results(Map.of(), Map.of());
        Map<Endpoint, CompletableFuture<ServedChain>> served = probe.fetchAll(endpoints);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, hosts.size())), r -> {
            Thread t = new Thread(r, "certops-scan");
            t.setDaemon(true);
            return t;
        });
        Map<List<X509Certificate>, Observation.Served> analysed = new ConcurrentHashMap<>();
        try {
            Map<String, Future<LiveCopy>> live = new LinkedHashMap<>();
            for (HostConfig h : hosts) live.put(h.id(), pool.submit(() -> readLive(h)));
            Map<Endpoint, Observation> outE = new LinkedHashMap<>();
            for (var f : served.entrySet()) outE.put(f.getKey(), observe(f.getValue(), analysed));
            Map<String, LiveCopy> outH = new LinkedHashMap<>();
            for (var f : live.entrySet()) outH.put(f.getKey(), await(f.getValue(), ex -> LiveCopy.unreadable("reading the live copy failed unexpectedly: " + ex)));
            return new Results(outE, outH);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Observation observe(CompletableFuture<ServedChain> probed, Map<List<X509Certificate>, Observation.Served> analysed)
            throws InterruptedException {
        try {
            ServedChain chain = TlsProbe.await(probed);
            Observation.Served known = analysed.computeIfAbsent(chain.chain(), c -> {
                ChainReport report = ChainCheck.analyze(c);
                return new Observation.Served(chain, CertificateInfo.from(chain.leaf()), report);
            });
            return new Observation.Served(chain, known.leaf(), known.report());
        } catch (ProbeException ex) {
            return new Observation.Failed(ex);
        }
    }

    private LiveCopy readLive(HostConfig h) {
        String live = h.certDir() + "/live";
        try (HostChannel ch = connectors.open(h)) {
            Optional<String> release = ch.readLink(live).map(t -> RemotePaths.releaseOf(t).orElse(t.substring(t.lastIndexOf('/') + 1)));
            Optional<byte[]> pem = ch.read(live + "/" + RemotePaths.FULLCHAIN);
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
