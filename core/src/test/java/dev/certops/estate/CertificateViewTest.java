package dev.certops.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CertificateView's written-out equals and hashCode: the values a record's own would have. */
class CertificateViewTest {
    private static final EndpointView SERVED = new EndpointView(Optional.of("api"), new Endpoint("api.example.test", 443, "api.example.test"),
            Optional.empty(), "letsencrypt", Status.OK, Optional.empty(), true, List.of());

    private static CertificateView view(String id, List<String> names, Status status, String ca, Optional<Long> days,
                                        List<EndpointView> endpoints, List<String> problems, Optional<Instant> since) {
        return new CertificateView(id, names, status, ca, days, Optional.empty(), endpoints, List.of(), Finding.fromTexts(problems), since);
    }

    private static CertificateView api() {
        return view("api", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH));
    }

    @Test
    void viewsOfTheSameComponentsAreEqualWithTheSameHashAsARecordsOwn() {
        CertificateView a = api();
        CertificateView b = api();
        assertThat(a).isEqualTo(b).isNotSameAs(b);
        Object[] components = {a.id(), a.names(), a.status(), a.ca(), a.daysLeft(), a.current(), a.endpoints(), a.deployments(), a.findings(), a.since()};
        int recordHash = 0;
        for (Object c : components) recordHash = recordHash * 31 + (c == null ? 0 : c.hashCode());
        assertThat(a.hashCode()).isEqualTo(b.hashCode()).isEqualTo(recordHash);
    }

    @Test
    void viewsDifferingInAnyOneComponentAreNotEqual() {
        CertificateView a = api();
        assertThat(List.of(
                view("shop", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("www.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.WARNING, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.OK, "zerossl", Optional.of(60L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(59L), List.of(SERVED), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(), List.of(), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of("no hosts"), Optional.of(Instant.EPOCH)),
                view("api", List.of("api.example.test"), Status.OK, "letsencrypt", Optional.of(60L), List.of(SERVED), List.of(), Optional.empty())))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(a));
        assertThat(a).isNotEqualTo(null).isNotEqualTo("api");
    }
}
