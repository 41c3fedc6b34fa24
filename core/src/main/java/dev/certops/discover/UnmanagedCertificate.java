package dev.certops.discover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.Endpoint;
import dev.certops.config.Thresholds;
import dev.certops.estate.Status;
import dev.certops.estate.StatusRules;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A certificate served somewhere that certops.yaml does not manage, as the last discovery recorded
 * it: what the console's Estate lists in its own group and what renew alerts on when it expires.
 */
public record UnmanagedCertificate(String fingerprint, List<String> names, String issuer, String serial, Instant notBefore, Instant notAfter,
                                   List<String> servedAt, Status verdict, String reason) {
    static UnmanagedCertificate of(DiscoveredCertificate c) {
        var l = c.leaf();
        return new UnmanagedCertificate(l.fingerprint().hex(), l.names(), l.issuerCn().isEmpty() ? l.issuerDn() : l.issuerCn(), l.serial(),
                l.notBefore(), l.notAfter(), c.servedAt().stream().map(Endpoint::toString).toList(), c.verdict(), c.reason());
    }

    /**
     * Its status now: by the thresholds (the same rule as managed certificates), and no better than the client's verdict
     * the discovery recorded (rejected: untrusted, wrong name, …).
     */
    public Status status(Thresholds t, Instant now) { return StatusRules.of(notBefore, notAfter, t, now).worse(verdict); }

    public long daysLeft(Instant now) { return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L); }

    /** A short label for people and alert subjects: the first name (and how many more). */
    public String label() { return names.isEmpty() ? fingerprint.substring(0, 16) : names.get(0) + (names.size() > 1 ? " (+" + (names.size() - 1) + ")" : ""); }

    Map<String, Object> toDetails() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("names", names);
        m.put("issuer", issuer);
        m.put("serial", serial);
        m.put("notBefore", notBefore.toString());
        m.put("notAfter", notAfter.toString());
        m.put("servedAt", servedAt);
        m.put("verdict", verdict.label());
        m.put("reason", reason);
        return m;
    }

    /** A recorded verdict label; a discovery recorded before verdicts were (none) counts as ok. */
    private static Status verdict(String label) {
        for (Status s : Status.values()) if (s.label().equals(label)) return s;
        return Status.OK;
    }

    /** The unmanaged certificates of the latest {@code discover.finished} event (empty when no discovery ran). */
    public static List<UnmanagedCertificate> latest(HistoryStore history) throws HistoryException {
        AtomicReference<String> last = new AtomicReference<>();
        history.forEach(EventQuery.all().kind(EventKinds.DISCOVER_FINISHED), ev -> last.set(ev.details()));
        if (last.get() == null) return List.of();
        List<UnmanagedCertificate> out = new ArrayList<>();
        try {
            // the mapper only once a discovery was recorded: the console's first scan asks on every start, and building
            // Jackson's mapper (~650 classes) for a workspace that never ran a discovery slowed the Estate's first frame
            for (JsonNode n : Json.mapper().readTree(last.get()).path("unmanagedCertificates")) {
                List<String> names = new ArrayList<>();
                n.path("names").forEach(x -> names.add(x.asText()));
                List<String> where = new ArrayList<>();
                n.path("servedAt").forEach(x -> where.add(x.asText()));
                out.add(new UnmanagedCertificate(n.path("fingerprint").asText(), List.copyOf(names), n.path("issuer").asText(), n.path("serial").asText(),
                        Instant.parse(n.path("notBefore").asText()), Instant.parse(n.path("notAfter").asText()), List.copyOf(where),
                        verdict(n.path("verdict").asText("ok")), n.path("reason").asText("")));
            }
        } catch (Exception e) {
            throw new HistoryException("the latest discover.finished event cannot be read (" + e.getMessage() + ") — run `certops audit verify`", e);
        }
        return List.copyOf(out);
    }
}
