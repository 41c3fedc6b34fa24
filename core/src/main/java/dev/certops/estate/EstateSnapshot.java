package dev.certops.estate;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The whole estate at one moment: every managed certificate and every extra watched endpoint. */
public record EstateSnapshot(Instant at, Duration took, List<CertificateView> certificates, List<EndpointView> extraEndpoints) {
    public EstateSnapshot {
        certificates = List.copyOf(certificates);
        extraEndpoints = List.copyOf(extraEndpoints);
    }

    /** Count per status (certificates and extra endpoints). */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) m.put(s, 0);
        certificates.forEach(c -> m.merge(c.status(), 1, Integer::sum));
        extraEndpoints.forEach(e -> m.merge(e.status(), 1, Integer::sum));
        return m;
    }

    /** 0 all ok, 1 any warning, 2 any critical / emergency / expired / divergence / unreachable. */
    public int exitCode() {
        boolean diverged = certificates.stream().anyMatch(CertificateView::diverged);
        Status worst = Status.OK;
        for (CertificateView c : certificates) worst = worst.worse(c.status());
        for (EndpointView e : extraEndpoints) worst = worst.worse(e.status());
        if (diverged || worst.ordinal() >= Status.CRITICAL.ordinal()) return 2;
        return worst == Status.WARNING ? 1 : 0;
    }
}
