package dev.certops.discover;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.EndpointView;
import dev.certops.estate.Finding;
import dev.certops.estate.ServedVerdicts;
import dev.certops.estate.Status;
import dev.certops.estate.StatusRules;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.scan.TlsProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Discovery: probes every target endpoint in one batch of the scan's probe (so silent addresses cost
 * a deadline, not a thread), groups what was served by leaf certificate, judges each as the scan does
 * ({@link ServedVerdicts}: the thresholds and a TLS client's verdict, the worst over the endpoints
 * serving it) and says whether certops.yaml manages it (a configured certificate with exactly its
 * names). {@link #record} writes {@code discover.finished} with the counts and the unmanaged
 * certificates, which the console's Estate and renew's alerts read back.
 */
public final class Discovery {
    /** How many unmanaged certificates a {@code discover.finished} event lists (the counts are always complete). */
    static final int LISTED = 500;

    private final ServedVerdicts verdicts;
    private final Clock clock;

    /** @param history where certops' own revocations are read (a served serial certops revoked is {@code revoked}) */
    public Discovery(TlsProbe probe, Clock clock, HistoryStore history) {
        this.verdicts = new ServedVerdicts(probe, clock, history);
        this.clock = clock;
    }

    public DiscoveryReport run(List<Endpoint> endpoints, CertopsConfig config) throws InterruptedException, ConfigException, HistoryException {
        Instant at = clock.instant();
        long t0 = System.nanoTime();
        Map<Endpoint, EndpointView> judged = verdicts.judge(endpoints, config);
        Map<String, CertificateInfo> leaves = new LinkedHashMap<>();
        Map<String, List<EndpointView>> where = new LinkedHashMap<>();
        Map<Endpoint, String> failed = new LinkedHashMap<>();
        for (var v : judged.values()) {
            if (v.served().isEmpty()) {
                failed.put(v.endpoint(), ServedVerdicts.unreachableReason(v));
                continue;
            }
            CertificateInfo leaf = v.served().get();
            leaves.putIfAbsent(leaf.fingerprint().hex(), leaf);
            where.computeIfAbsent(leaf.fingerprint().hex(), f -> new ArrayList<>()).add(v);
        }
        List<DiscoveredCertificate> found = new ArrayList<>();
        for (var e : leaves.entrySet()) {
            CertificateInfo leaf = e.getValue();
            List<EndpointView> views = where.get(e.getKey());
            Status status = StatusRules.of(leaf.notBefore(), leaf.notAfter(), config.thresholds(), at);
            List<Finding> findings = new ArrayList<>();
            for (EndpointView v : views) {
                status = status.worse(v.status());
                findings.addAll(v.findings());
            }
            found.add(new DiscoveredCertificate(leaf, status, leaf.daysLeft(at), views.stream().map(EndpointView::endpoint).toList(), managedBy(leaf, config),
                    findings));
        }
        found.sort(Comparator.comparing(DiscoveredCertificate::managed).thenComparing(c -> c.leaf().notAfter()));
        return new DiscoveryReport(at, Duration.ofNanos(System.nanoTime() - t0), endpoints.size(), List.copyOf(found), failed);
    }

    /** The configured certificate with exactly this leaf's names, if any. */
    static Optional<String> managedBy(CertificateInfo leaf, CertopsConfig config) {
        Set<String> served = lower(leaf.names());
        return config.certificates().stream().filter(c -> lower(c.names()).equals(served)).map(CertificateConfig::id).findFirst();
    }

    private static Set<String> lower(List<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) out.add(n.toLowerCase(Locale.ROOT));
        return out;
    }

    /** Records {@code discover.finished}: counts, duration, and the unmanaged certificates (names, issuer, expiry, where). */
    public static void record(HistoryStore history, DiscoveryReport r) throws HistoryException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("probed", r.probed());
        d.put("answered", r.answered());
        d.put("unreachable", r.failed().size());
        d.put("certificates", r.certificates().size());
        d.put("managed", r.certificates().size() - r.unmanaged().size());
        d.put("unmanaged", r.unmanaged().size());
        d.put("durationMs", r.took().toMillis());
        List<Map<String, Object>> list = new ArrayList<>();
        for (DiscoveredCertificate c : r.unmanaged().stream().limit(LISTED).toList()) list.add(UnmanagedCertificate.of(c).toDetails());
        d.put("unmanagedCertificates", list);
        history.append(new NewEvent(EventKinds.DISCOVER_FINISHED, "estate", r.unmanaged().isEmpty() ? "ok" : "unmanaged", d));
    }

    /** Sorted, distinct names of a set of endpoints, for people. */
    static String where(List<Endpoint> eps) {
        Set<String> s = new TreeSet<>();
        for (Endpoint e : eps) s.add(e.toString());
        return String.join(", ", s);
    }
}
