package dev.certops.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.acme.CaHealth;
import dev.certops.estate.CertificateView;
import dev.certops.estate.Status;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The banner's ranking: what clients refuse, then a down primary, then expiring and diverged, then other CAs, then stale renewals. */
class IncidentsTest {
    private static final Instant T = Instant.parse("2026-12-06T03:12:05Z");

    private static CertificateView cert(String id, Status s, long days) {
        return new CertificateView(id, List.of(id + ".example.com"), s, "primary", Optional.of(days), Optional.empty(), List.of(), List.of(), List.of());
    }

    private static CaHealth.Entry ca(String id, boolean primary, CaHealth.State state) {
        boolean failing = state == CaHealth.State.DOWN || state == CaHealth.State.ERRORING;
        return new CaHealth.Entry(id, primary, URI.create("https://" + id + "/dir"), state, failing ? "connection refused at " + id + ":443" : "ok",
                Duration.ofMillis(40), failing ? Optional.empty() : Optional.of(T), failing ? Optional.of(T) : Optional.empty(), T);
    }

    @Test
    void aRejectedCertificateOutranksADownPrimaryWhichOutranksExpiringDivergedAndStaleRenewals() {
        List<Incidents.Incident> all = Incidents.rank(List.of(cert("self", Status.REJECTED, 50), cert("shop", Status.DIVERGED, 40), cert("api", Status.CRITICAL, 4),
                cert("ok", Status.OK, 60)), List.of(ca("primary", true, CaHealth.State.DOWN), ca("secondary", false, CaHealth.State.ERRORING)), "Renewals have never succeeded");
        assertThat(all).extracting(Incidents.Incident::brief).containsExactly("self rejected", "primary CA down", "api critical", "shop diverged",
                "CA secondary erroring", "Renewals have never succeeded");
        Incidents.Incident ca = all.get(1);
        assertThat(ca.action()).isEqualTo(Incidents.Action.OPEN_CA_OUTAGE_RUNBOOK);
        assertThat(ca.certificate()).as("the expiring certificate, not the diverged one").contains("api");
        assertThat(ca.text()).startsWith("The primary CA is down since ").contains("connection refused at primary:443. Renewals from it fail");
        assertThat(all.get(5).action()).isEqualTo(Incidents.Action.SHOW_RENEWALS);
        assertThat(all.get(5).severe()).isFalse();
    }

    @Test
    void aDownPrimaryWithNothingDueIsAmberAndPushesNoRunbook() {
        List<Incidents.Incident> all = Incidents.rank(List.of(cert("api", Status.OK, 80)), List.of(ca("primary", true, CaHealth.State.DOWN)), "");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).severe()).isFalse();
        assertThat(all.get(0).action()).isEqualTo(Incidents.Action.SHOW_ESTATE);
        assertThat(all.get(0).text()).contains("No certificate is due");
    }

    @Test
    void allWellMeansNoBanner() {
        assertThat(Incidents.rank(List.of(cert("ok", Status.OK, 60)), List.of(ca("primary", true, CaHealth.State.UP)), "")).isEmpty();
    }

    @Test
    void aSlowPrimaryIsNotAnIncident() {
        assertThat(Incidents.rank(List.of(), List.of(ca("primary", true, CaHealth.State.SLOW)), "")).isEmpty();
    }

    @Test
    void thePrimaryCaIsNamedByItsIdUnlessItsIdIsPrimaryItself() {
        assertThat(Incidents.primaryCa("letsencrypt")).isEqualTo("primary CA letsencrypt");
        assertThat(Incidents.primaryCa("primary")).as("never 'primary CA primary'").isEqualTo("primary CA");
    }
}
