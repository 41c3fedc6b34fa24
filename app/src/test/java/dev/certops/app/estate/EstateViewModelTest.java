package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.CertificateInfo;
import dev.certops.estate.CertificateView;
import dev.certops.estate.DeploymentView;
import dev.certops.estate.EndpointView;
import dev.certops.estate.EstateSnapshot;
import dev.certops.estate.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EstateViewModelTest {
    private static final Instant NOW = Instant.now();

    private static CertificateView cert(String id, Status status, String ca, long days, String host, boolean diverged) {
        CertificateInfo info = CertificateBuilder.leaf(id + ".example.com").validity(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(days)).plusSeconds(60)).build().info();
        List<DeploymentView> deps = host == null ? List.of() : List.of(new DeploymentView(id, host, "/etc/ssl/certops", Optional.of("r1"), Optional.of(info), Optional.empty()));
        List<String> problems = diverged ? List.of("divergence: endpoint serves an older serial") : List.of();
        return new CertificateView(id, List.of(id + ".example.com"), status, ca, Optional.of(days), Optional.of(info),
                List.of(new EndpointView(Optional.of(id), new Endpoint(id + ".example.com", 443, id + ".example.com"), Optional.of(info), ca, status, Optional.empty(), true, List.of())),
                deps, problems);
    }

    private static EstateSnapshot snapshot(List<CertificateView> certs) {
        return new EstateSnapshot(NOW, Duration.ofMillis(42), certs, List.of());
    }

    private static EstateViewModel loaded() {
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> snapshot(List.of(
                cert("api", Status.OK, "letsencrypt", 60, "web1", false),
                cert("shop", Status.CRITICAL, "zerossl", 10, "web2", false),
                cert("mail", Status.WARNING, "letsencrypt", 20, "web1", true),
                cert("old", Status.EXPIRED, "internal", -2, null, false))));
        vm.scan();
        return vm;
    }

    @Test
    void aScanFillsTheTableTheChoicesAndTheTimeline() {
        EstateViewModel vm = loaded();
        assertThat(vm.rows()).hasSize(4);
        assertThat(vm.caChoices()).containsExactly("All", "internal", "letsencrypt", "zerossl");
        assertThat(vm.hostChoices()).containsExactly("All", "web1", "web2");
        assertThat(vm.timeline().get(1)).as("10 days left = week 2").isEqualTo(1);
        assertThat(vm.messageProperty().get()).contains("4 certificates scanned", "3 need attention");
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void filtersCombineTextStatusCaAndHost() {
        EstateViewModel vm = loaded();
        vm.filterTextProperty().set("sho");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("shop");
        vm.clearFilters();
        vm.filterCaProperty().set("letsencrypt");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactlyInAnyOrder("api", "mail");
        vm.filterStatusProperty().set("warning");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("mail");
        vm.clearFilters();
        vm.filterStatusProperty().set("diverged");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("mail");
        vm.clearFilters();
        vm.filterHostProperty().set("web2");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("shop");
    }

    @Test
    void aFailedScanSaysWhatToDoAndKeepsTheDetailApart() {
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> { throw new IllegalStateException("certops.yaml:3: bad key"); });
        vm.scan();
        assertThat(vm.messageProperty().get()).contains("The scan did not finish", "certops.yaml:3: bad key", "press Scan now again");
        assertThat(vm.detailsProperty().get()).contains("IllegalStateException");
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void anEmptyWorkspaceExplainsHowToAddCertificates() {
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> snapshot(List.of()));
        vm.scan();
        assertThat(vm.emptyTextProperty().get()).contains("No certificates in this workspace yet", "certificates:");
    }

    @Test
    void theDetailDescribesHostsEndpointsAndProblems() {
        var lines = EstateViewModel.describe(cert("mail", Status.WARNING, "letsencrypt", 20, "web1", true));
        assertThat(lines).anyMatch(l -> l.startsWith("Host web1")).anyMatch(l -> l.startsWith("Endpoint mail.example.com:443")).anyMatch(l -> l.contains("divergence"));
    }

    @Test
    void aHeldCertificatesActionsAreBlockedNamingTheHolderAndOthersStayFree() {
        EstateViewModel vm = loaded();
        vm.setRenewer(id -> "renewed " + id);
        vm.holds().put("shop", "held by alice@laptop — deploy, runbook primary-ca-outage, run 42, since 02:14");
        vm.selectedProperty().set(vm.rows().stream().filter(c -> c.id().equals("shop")).findFirst().orElseThrow());
        assertThat(vm.actionBlocked().get()).isEqualTo("shop is held by alice@laptop — deploy, runbook primary-ca-outage, run 42, since 02:14"
                + " — its actions wait until that lease is released.");
        vm.renewSelected();
        assertThat(vm.messageProperty().get()).doesNotContain("renewed");

        vm.holds().remove("shop");
        assertThat(vm.actionBlocked().get()).isEmpty();
    }

    @Test
    void whileTheHistoryIsAwayEveryCertificatesActionsAreBlocked() {
        EstateViewModel vm = loaded();
        vm.selectedProperty().set(vm.rows().get(0));
        vm.changesBlockedProperty().set("The history does not answer: changes are disabled until it is back.");
        assertThat(vm.actionBlocked().get()).isEqualTo("The history does not answer: changes are disabled until it is back.");
    }

    /** Filtering 10,000 rows: printed, not asserted (timing never fails a unit test). */
    @Test
    void filteringTenThousandRowsStaysQuick() {
        List<CertificateView> many = new ArrayList<>();
        CertificateView base = cert("c", Status.OK, "letsencrypt", 50, "web1", false);
        for (int i = 0; i < 10_000; i++) {
            many.add(new CertificateView("cert-" + i, List.of("cert-" + i + ".example.com"), i % 10 == 0 ? Status.CRITICAL : Status.OK, i % 3 == 0 ? "zerossl" : "letsencrypt",
                    base.daysLeft(), base.current(), base.endpoints(), base.deployments(), List.of()));
        }
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> snapshot(many));
        vm.scan();
        long t0 = System.nanoTime();
        vm.filterTextProperty().set("cert-99");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(vm.rows()).hasSize(111);
        System.out.println("EstateViewModel: filter over 10,000 rows applied in " + ms + " ms");
    }
}
