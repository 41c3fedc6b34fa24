package dev.certops.estate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.ChainReport;
import dev.certops.crypto.PemReader;
import dev.certops.deploy.HostChannel;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.NewEvent;
import dev.certops.scan.ProbeException;
import dev.certops.scan.ServedChain;
import dev.certops.scan.TlsProbe;
import dev.certops.session.Session;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scans the estate: every endpoint's served chain (concurrently, bounded; a dead endpoint never
 * stalls the others) and every deployed copy on disk (through the deploy port), judged by the
 * thresholds, name coverage, chain completeness and divergence. Each scan and each status change
 * is recorded in history.
 */
public final class EstateService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Session session;
    private final TlsProbe probe;
    private final int parallelism;

    public EstateService(Session session) { this(session, TlsProbe.withDefaults(), 64); }

    public EstateService(Session session, TlsProbe probe, int parallelism) {
        this.session = session;
        this.probe = probe;
        this.parallelism = parallelism;
    }

    /** Scans and records. */
    public EstateSnapshot scan() throws Exception {
        EstateSnapshot s = scanOnly();
        record(s);
        return s;
    }

    /** Scans without recording (previews, benchmarks). */
    public EstateSnapshot scanOnly() throws Exception {
        Instant start = session.clock().instant();
        long t0 = System.nanoTime();
        CertopsConfig cfg = session.config();
        Set<Endpoint> all = new LinkedHashSet<>();
        cfg.certificates().forEach(c -> all.addAll(c.endpoints()));
        all.addAll(cfg.endpoints());
        Map<Endpoint, Object> served = probeAll(List.copyOf(all));
        CaNames caNames = new CaNames(caBySerial());
        List<CertificateView> certs = new ArrayList<>();
        for (CertificateConfig c : cfg.certificates()) {
            certs.add(judge(cfg, c, served, readDeployments(cfg, c), caNames, start));
        }
        List<EndpointView> extra = new ArrayList<>();
        for (Endpoint e : cfg.endpoints()) extra.add(endpointView(Optional.empty(), e, served.get(e), cfg, caNames, start));
        return new EstateSnapshot(start, Duration.ofNanos(System.nanoTime() - t0), certs, extra);
    }

    private Map<Endpoint, Object> probeAll(List<Endpoint> endpoints) throws InterruptedException {
        Map<Endpoint, Object> out = new HashMap<>();
        if (endpoints.isEmpty()) return out;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, endpoints.size()), r -> {
            Thread t = new Thread(r, "certops-scan");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Endpoint, Future<Object>> futures = new LinkedHashMap<>();
            for (Endpoint e : endpoints) {
                futures.put(e, pool.submit(() -> {
                    try {
                        return probe.fetch(e);
                    } catch (ProbeException ex) {
                        return ex;
                    }
                }));
            }
            for (var f : futures.entrySet()) {
                try {
                    out.put(f.getKey(), f.getValue().get());
                } catch (java.util.concurrent.ExecutionException ex) {
                    out.put(f.getKey(), new ProbeException(f.getKey(), ProbeException.Reason.HANDSHAKE, String.valueOf(ex.getCause())));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private List<DeploymentView> readDeployments(CertopsConfig cfg, CertificateConfig c) {
        List<DeploymentView> out = new ArrayList<>();
        for (String hostId : c.hosts()) {
            HostConfig h = cfg.host(hostId).orElseThrow();
            try (HostChannel ch = session.connectors().open(h)) {
                Optional<String> release = ch.readLink(h.certDir() + "/live");
                Optional<byte[]> pem = ch.read(h.certDir() + "/live/fullchain.pem");
                if (pem.isEmpty()) {
                    out.add(new DeploymentView(c.id(), hostId, h.certDir(), release, Optional.empty(), Optional.of("nothing deployed yet (" + h.certDir() + "/live/fullchain.pem missing)")));
                    continue;
                }
                var chain = PemReader.readCertificates(new String(pem.get(), StandardCharsets.US_ASCII), hostId + ":" + h.certDir() + "/live/fullchain.pem");
                out.add(new DeploymentView(c.id(), hostId, h.certDir(), release.map(r -> r.substring(r.lastIndexOf('/') + 1)),
                        Optional.of(CertificateInfo.from(chain.get(0))), Optional.empty()));
            } catch (Exception e) {
                out.add(new DeploymentView(c.id(), hostId, h.certDir(), Optional.empty(), Optional.empty(), Optional.of(e.getMessage())));
            }
        }
        return out;
    }

    private CertificateView judge(CertopsConfig cfg, CertificateConfig c, Map<Endpoint, Object> served, List<DeploymentView> deployments,
                                  CaNames caNames, Instant now) {
        List<EndpointView> eps = new ArrayList<>();
        for (Endpoint e : c.endpoints()) eps.add(endpointView(Optional.of(c.id()), e, served.get(e), cfg, caNames, now));
        List<String> problems = new ArrayList<>();
        Status status = Status.OK;
        Optional<CertificateInfo> current = Optional.empty();
        for (EndpointView e : eps) {
            status = status.worse(e.status());
            e.problems().forEach(p -> problems.add(e.endpoint() + ": " + p));
            if (e.served().isPresent() && (current.isEmpty() || e.served().get().notAfter().isBefore(current.get().notAfter()))) current = e.served();
        }
        for (DeploymentView d : deployments) {
            if (d.live().isEmpty()) {
                d.error().filter(e -> !e.startsWith("nothing deployed yet")).ifPresent(e -> problems.add(d.hostId() + ": what is live on disk cannot be read — " + e));
                continue;
            }
            status = status.worse(StatusRules.of(d.live().get().notBefore(), d.live().get().notAfter(), cfg.thresholds(), now));
            if (current.isEmpty()) current = d.live();
            HostConfig h = cfg.host(d.hostId()).orElseThrow();
            for (Endpoint e : ServedEndpoints.BY_ADDRESS.endpointsFor(h, c)) {
                Object o = served.get(e);
                if (o instanceof ServedChain sc && !CertificateInfo.from(sc.leaf()).fingerprint().equals(d.live().get().fingerprint())) {
                    problems.add("divergence: " + e + " serves serial " + CertificateInfo.from(sc.leaf()).serial() + " but " + d.hostId()
                            + " has serial " + d.live().get().serial() + " live on disk — a reload that never happened; reload it or `certops deploy " + c.id() + "`");
                }
            }
        }
        Set<String> serials = new LinkedHashSet<>();
        eps.forEach(e -> e.served().ifPresent(i -> serials.add(i.serial())));
        if (serials.size() > 1) problems.add("divergence: the endpoints serve different serials " + serials + " — hosts are out of step; deploy the newest to all");
        Optional<Long> days = current.map(i -> i.daysLeft(now));
        String ca = current.map(caNames::of).orElse("-");
        return new CertificateView(c.id(), c.names(), status, ca, days, current, eps, deployments, problems);
    }

    private EndpointView endpointView(Optional<String> certId, Endpoint e, Object result, CertopsConfig cfg, CaNames caNames, Instant now) {
        if (result instanceof ProbeException pe) {
            return new EndpointView(certId, e, Optional.empty(), "-", Status.UNREACHABLE,
                    Optional.of(pe.reason().name().toLowerCase() + ": " + pe.getMessage()), false, List.of("unreachable (" + pe.reason().name().toLowerCase() + ")"));
        }
        ServedChain sc = (ServedChain) result;
        CertificateInfo info = CertificateInfo.from(sc.leaf());
        List<String> problems = new ArrayList<>();
        boolean covered = info.covers(e.sni());
        if (!covered) problems.add("name mismatch: serves " + info.names() + ", which does not cover " + e.sni());
        ChainReport chain = ChainCheck.analyze(sc.chain());
        problems.addAll(chain.problems());
        if (info.selfSigned()) problems.add("self-signed: no client trusts it");
        Status st = StatusRules.of(info.notBefore(), info.notAfter(), cfg.thresholds(), now);
        if (st == Status.EXPIRED) problems.add("expired on " + info.notAfter());
        return new EndpointView(certId, e, Optional.of(info), caNames.of(info), st, Optional.empty(), covered, problems);
    }

    private Map<String, String> caBySerial() throws Exception {
        Map<String, String> m = new HashMap<>();
        session.history().forEach(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED), ev -> {
            try {
                JsonNode d = JSON.readTree(ev.details());
                m.put(d.path("serial").asText(), d.path("ca").asText());
            } catch (Exception ignored) {
                // unreadable details are reported by `audit verify`
            }
        });
        return m;
    }

    /** One summary event per scan, one event per status change since the previous scan. */
    private void record(EstateSnapshot s) throws Exception {
        Map<String, String> previous = new HashMap<>();
        session.history().forEach(EventQuery.all().kind(EventKinds.SCAN_STATUS_CHANGED), ev -> {
            try {
                previous.put(ev.subject(), JSON.readTree(ev.details()).path("to").asText());
            } catch (Exception ignored) {
                // see above
            }
        });
        List<NewEvent> events = new ArrayList<>();
        for (CertificateView c : s.certificates()) {
            String now = c.status().label() + (c.diverged() ? "+diverged" : "");
            String before = previous.getOrDefault(c.id(), "unknown");
            if (!now.equals(before)) {
                events.add(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, c.id(), c.status().label(), Map.of("from", before, "to", now,
                        "reason", c.problems().isEmpty() ? (c.daysLeft().map(d -> d + " days left").orElse("")) : c.problems().get(0))));
            }
        }
        for (EndpointView e : s.extraEndpoints()) {
            String key = e.endpoint().host() + ":" + e.endpoint().port();
            String before = previous.getOrDefault(key, "unknown");
            if (!e.status().label().equals(before)) {
                events.add(new NewEvent(EventKinds.SCAN_STATUS_CHANGED, key, e.status().label(), Map.of("from", before, "to", e.status().label(),
                        "reason", e.problems().isEmpty() ? "" : e.problems().get(0))));
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        s.counts().forEach((k, v) -> summary.put(k.label(), v));
        summary.put("diverged", s.certificates().stream().filter(CertificateView::diverged).count());
        summary.put("durationMs", s.took().toMillis());
        events.add(new NewEvent(EventKinds.SCAN_FINISHED, "estate", s.exitCode() == 0 ? "ok" : s.exitCode() == 1 ? "warning" : "attention", summary));
        session.history().appendAll(events);
    }
}
