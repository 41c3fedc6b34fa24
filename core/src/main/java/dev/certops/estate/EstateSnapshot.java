package dev.certops.estate;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole estate at one moment: every managed certificate and every extra watched endpoint.
 *
 * @param since per history subject (certificate id, or "host:port" of an extra endpoint): since when
 *              its status has been what it is; empty for a scan that was not recorded
 */
public record EstateSnapshot(Instant at, Duration took, List<CertificateView> certificates, List<EndpointView> extraEndpoints,
                             Map<String, Instant> since) {
    public EstateSnapshot {
        certificates = List.copyOf(certificates);
        extraEndpoints = List.copyOf(extraEndpoints);
        since = Map.copyOf(since);
    }

    /** A snapshot that was not recorded: no "since". */
    public EstateSnapshot(Instant at, Duration took, List<CertificateView> certificates, List<EndpointView> extraEndpoints) {
        this(at, took, certificates, extraEndpoints, Map.of());
    }

    public Optional<CertificateView> certificate(String id) {
        return certificates.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Optional<Instant> sinceOf(String subject) { return Optional.ofNullable(since.get(subject)); }

    /** Count per status (certificates and extra endpoints). */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) m.put(s, 0);
        certificates.forEach(c -> m.merge(c.status(), 1, Integer::sum));
        extraEndpoints.forEach(e -> m.merge(e.status(), 1, Integer::sum));
        return m;
    }

    /** "3 ok, 1 diverged, 1 rejected, 1 revoked": each status present, in the status order; "nothing" for an empty estate. */
    public String summary() {
        return counts().entrySet().stream().filter(x -> x.getValue() > 0).map(x -> x.getValue() + " " + x.getKey().label())
                .reduce((a, b) -> a + ", " + b).orElse("nothing");
    }

    /** The most any certificate or endpoint asks for. */
    public Attention attention() {
        Attention a = Attention.NONE;
        for (CertificateView c : certificates) a = a.max(c.attention());
        for (EndpointView e : extraEndpoints) a = a.max(e.attention());
        return a;
    }

    /** 0 all ok, 1 any warning, 2 anything worse (critical and every status after it in {@link Status}). */
    public int exitCode() { return attention().exitCode(); }
}
