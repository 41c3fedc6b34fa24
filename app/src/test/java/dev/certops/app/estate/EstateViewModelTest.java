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
import org.junit.jupiter.api.io.TempDir;
import dev.certops.app.runbook.RunbooksViewModel;
import dev.certops.config.Workspace;
import dev.certops.estate.EstateService;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.Poll;
import dev.certops.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

class EstateViewModelTest {
    @TempDir Path dir;
    private static final Instant NOW = Instant.now();

    static CertificateView cert(String id, Status status, String ca, long days, String host, boolean diverged) {
        CertificateInfo info = CertificateBuilder.leaf(id + ".example.com").validity(NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(days)).plusSeconds(60)).build().info();
        List<DeploymentView> deps = host == null ? List.of() : List.of(new DeploymentView(id, host, "/etc/ssl/certops", Optional.of("r1"), Optional.of(info), Optional.empty()));
        List<String> problems = diverged ? List.of("divergence: endpoint serves an older serial") : List.of();
        return new CertificateView(id, List.of(id + ".example.com"), status, ca, Optional.of(days), Optional.of(info),
                List.of(new EndpointView(Optional.of(id), new Endpoint(id + ".example.com", 443, id + ".example.com"), Optional.of(info), ca, status, Optional.empty(), true, List.of())),
                deps, problems);
    }

    static EstateSnapshot snapshot(List<CertificateView> certs) {
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
    void theEstateOpensWorstFirstWhateverOrderCertopsYamlHas() {
        EstateViewModel vm = loaded();
        assertThat(vm.rows()).extracting(CertificateView::id).as("expired, critical, warning, ok").containsExactly("old", "shop", "mail", "api");
    }

    @Test
    void theBannersWorstFirstListAndEveryRowFollowTheLatestScan() {
        List<CertificateView> first = List.of(cert("api", Status.OK, "letsencrypt", 60, "web1", false), cert("old", Status.EXPIRED, "internal", -2, null, false));
        List<CertificateView> second = List.of(cert("api", Status.CRITICAL, "letsencrypt", 5, "web1", false), cert("new", Status.OK, "internal", 80, null, false));
        var scans = new java.util.ArrayDeque<>(List.of(snapshot(first), snapshot(second)));
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), scans::poll);
        assertThat(vm.worstFirst()).as("before any scan").isEmpty();
        vm.scan();
        assertThat(vm.worstFirst()).extracting(CertificateView::id).containsExactly("old", "api");
        assertThat(vm.allRows()).extracting(CertificateView::id).containsExactly("old", "api");
        vm.scan();
        assertThat(vm.worstFirst()).extracting(c -> c.id() + " " + c.status().label()).containsExactly("api critical", "new ok");
        assertThat(vm.allRows()).extracting(CertificateView::id).containsExactly("api", "new");
    }

    @Test
    void theTilesCountEachStatusAndDivergenceAndFilterLikeTheStatusChoice() {
        EstateViewModel vm = loaded();
        assertThat(vm.counts()).containsEntry("expired", 1).containsEntry("critical", 1).containsEntry("warning", 1).containsEntry("ok", 1)
                .containsEntry("diverged", 1).containsEntry("rejected", 0);
        vm.filterStatusProperty().set("diverged");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("mail");
    }

    @Test
    void aRescanKeepsTheCaAndHostFiltersChosen() {
        EstateViewModel vm = loaded();
        vm.filterCaProperty().set("letsencrypt");
        vm.filterHostProperty().set("web1");
        vm.caChoices().clear(); // what a ComboBox does to its value when its items are replaced
        vm.filterCaProperty().set(null);
        vm.scan();
        assertThat(vm.filterCaProperty().get()).isEqualTo("All");
        vm.filterCaProperty().set("letsencrypt");
        vm.scan();
        assertThat(vm.filterCaProperty().get()).isEqualTo("letsencrypt");
        assertThat(vm.filterHostProperty().get()).isEqualTo("web1");
        assertThat(vm.rows()).extracting(CertificateView::id).containsExactly("mail", "api");
    }

    @Test
    void theScanAgeIsShownAndAnOldScanSaysItIsStale() {
        EstateViewModel vm = loaded();
        assertThat(vm.scannedText(NOW.plusSeconds(12))).startsWith("scanned 12 s ago (at ");
        assertThat(vm.scannedText(NOW.plus(Duration.ofMinutes(20)))).endsWith("— stale, scan again (F5)");
        assertThat(new EstateViewModel(BackgroundExecutor.inline(), () -> snapshot(List.of())).scannedText(NOW)).isEqualTo("not scanned yet");
    }

    @Test
    void anExpiringCertificateWithoutAnotherReasonSaysHowLongItHasAndCommandLinesBecomeButtons() {
        assertThat(EstateViewModel.attention(cert("shop", Status.CRITICAL, "le", 10, null, false))).isEqualTo("expires in 10 days");
        assertThat(dev.certops.app.common.ConsoleWords.of("a reload that never happened; reload the server or run `certops deploy shop`"))
                .isEqualTo("a reload that never happened; reload the server or press Deploy… on the Estate");
        assertThat(dev.certops.app.common.ConsoleWords.of("revoked — issue a new certificate now (`certops renew --force`)"))
                .isEqualTo("revoked — issue a new certificate now (press Renew now on the Estate)");
        // bare command lines and overrides from core's deploy, rollback and host-key messages
        assertThat(dev.certops.app.common.ConsoleWords.of("confirm the new key with the host's administrator; if it is expected, delete the old line from "
                + "/ws/ssh/known_hosts and run ./certops hosts trust web1"))
                .endsWith("delete the old line from /ws/ssh/known_hosts and press Check and trust the SSH host key… for web1 (Settings → Hosts)");
        assertThat(dev.certops.app.common.ConsoleWords.of("run `certops hosts trust web-1` and compare the fingerprint before a deploy needs it"))
                .isEqualTo("press Check and trust the SSH host key… for web-1 (Settings → Hosts) and compare the fingerprint before a deploy needs it");
        assertThat(dev.certops.app.common.ConsoleWords.of("the certificate expired on 2026-12-01T00:00:00Z; renew it first: ./certops renew api — roll back anyway with --force --reason \"...\" (recorded)"))
                .startsWith("the certificate expired on 2026-12-01 ").endsWith("renew it first: press Renew now on the Estate (the console does not override this check)");
        assertThat(dev.certops.app.common.ConsoleWords.of("not valid yet (or deploy it anyway with --force --reason \"...\", which is recorded); nothing was sent"))
                .isEqualTo("not valid yet (the console does not override this check); nothing was sent");
        assertThat(dev.certops.app.common.ConsoleWords.of("run ./certops deploy shop. Then check it.")).isEqualTo("press Deploy… on the Estate. Then check it.");
        assertThat(dev.certops.app.common.ConsoleWords.of("issue one: ./certops issue api --ca secondary, then deploy")).isEqualTo("issue one: press Renew now on the Estate, then deploy");
        assertThat(dev.certops.app.common.ConsoleWords.of("started 2026-12-06T07:46:05.555547344Z")).doesNotContain(".555").matches("started 2026-12-06 \\d\\d:\\d\\d:05 .*");
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

    /** A real deploy through core's deployer to a local host behind a real nginx: the newest stored version is served after. */
    @Test
    void deployingTheSelectionPutsItsNewestStoredVersionLiveAndServed() throws Exception {
        TestTls v1 = TestTls.create(dir.resolve("v1"));
        TestTls v2 = TestTls.create(dir.resolve("v2"));
        Workspace ws = workspace();
        v1.storeAs(ws, "web", "1");
        v2.storeAs(ws, "web", "2");
        Path certDir = Files.createDirectories(dir.resolve("host/ssl"));
        int port = FreePort.tcp();
        try (NginxFixture nginx = NginxFixture.in(dir.resolve("nginx")).addServer("localhost", port, v1.certPem(), v1.keyPem())) {
            nginx.start();
            nginx.serveLiveLinkInsteadOf(v1.certPem(), v1.keyPem(), certDir);
            Files.writeString(ws.configFile(), """
                    hosts:
                      - { id: web-1, address: local, certDir: %s, test: "%s", reload: "%s" }
                    certificates:
                      - id: web
                        names: [localhost]
                        deploy: { waves: [[web-1]] }
                        endpoints: [{ host: 127.0.0.1, port: %d, sni: localhost }]
                    """.formatted(certDir, nginx.testCommand(), nginx.reloadCommand(), port));
            try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
                EstateViewModel vm = withActions(session);
                assertThat(vm.deployConfirmation()).startsWith("web version 2, issued by ").contains("wave 1 (canary):", "web-1 → " + certDir + "/releases/");
                assertThat(TestTls.servedSerial(port, "localhost")).isEqualTo(v1.serial());

                vm.deploySelected();

                assertThat(vm.messageProperty().get()).startsWith("Deployed web version 2: every host verified.").contains("Rescanned: 1 certificates scanned");
                TestTls.awaitServedSteadily(port, "localhost", v2.serial()); // an old nginx worker may answer once more after the verified reload
                // the deploy's own rescan may have met such an old worker (CI saw it once); once version 2 is served steadily, a rescan shows it
                Poll.until(Duration.ofSeconds(30), () -> {
                    if (vm.selectedProperty().get().current().orElseThrow().serial().equalsIgnoreCase(v2.serial())) return true;
                    vm.scan();
                    return false;
                }, "the Estate shows the served version 2 after a rescan");
                assertThat(vm.selectedProperty().get().current().orElseThrow().serial()).as("the rescan shows what is served now").isEqualToIgnoringCase(v2.serial());
                assertThat(session.leases().current()).as("the lease is released after the deploy").isEmpty();
            }
        }
    }

    @Test
    void revokingIsRefusedWhileAnotherConsoleHoldsTheCertificateNamingTheHolder() throws Exception {
        Workspace ws = workspace();
        Files.writeString(ws.configFile(), "certificates:\n  - { id: web, names: [localhost], endpoints: [\"127.0.0.1:1\"] }\n");
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            EstateViewModel vm = withActions(session);
            vm.holds().put("web", "held by alice@laptop — deploy, since 02:14");

            vm.revokeSelected("key-compromise");

            assertThat(vm.messageProperty().get()).isEqualTo("web is held by alice@laptop — deploy, since 02:14 — its actions wait until that lease is released.");
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(session.history().query(dev.certops.history.EventQuery.all().kind(dev.certops.history.EventKinds.ACME_REVOKED))).as("nothing was revoked").isEmpty();
        }
    }

    @Test
    void startingARunbookOpensItWithTheSelectedCertificatePreFilled() throws Exception {
        Workspace ws = workspace();
        Files.writeString(ws.configFile(), "certificates:\n  - { id: web, names: [localhost], endpoints: [\"127.0.0.1:1\"] }\n");
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            EstateViewModel vm = withActions(session);
            var sr = session.runbooks();
            RunbooksViewModel runbooks = new RunbooksViewModel(sr.catalog(), sr.engine(), BackgroundExecutor.inline(), type -> List.of("web"), () -> null);
            vm.setRunbookOpener((runbook, cert) -> {
                runbooks.selectFor(runbook, Map.of("certificate", cert));
                return "ready";
            });
            assertThat(vm.runbookChoices()).contains(EstateViewModel.DEFAULT_RUNBOOK, "key-compromise");

            vm.startRunbook(EstateViewModel.DEFAULT_RUNBOOK);

            assertThat(runbooks.selectedProperty().get().name()).isEqualTo("renewal-failing");
            assertThat(runbooks.params()).containsEntry("certificate", "web");
            assertThat(vm.messageProperty().get()).isEqualTo("ready");
        }
    }

    private Workspace workspace() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        return ws;
    }

    /** A scanned estate over the session, its only certificate selected, with the console's real actions. */
    private static EstateViewModel withActions(CompositionRoot session) {
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> new EstateService(session).scan());
        vm.setActions(new EstateCommands(session));
        vm.scan();
        vm.selectedProperty().set(vm.rows().get(0));
        return vm;
    }

    /** 10,000 rows filter to the matching ones, worst first (how long it takes: EstateTableBench, in the bench profile). */
    @Test
    void tenThousandRowsFilterToTheMatchingOnesWorstFirst() {
        List<CertificateView> many = new ArrayList<>();
        CertificateView base = cert("c", Status.OK, "letsencrypt", 50, "web1", false);
        for (int i = 0; i < 10_000; i++) {
            many.add(new CertificateView("cert-" + i, List.of("cert-" + i + ".example.com"), i % 10 == 0 ? Status.CRITICAL : Status.OK, i % 3 == 0 ? "zerossl" : "letsencrypt",
                    base.daysLeft(), base.current(), base.endpoints(), base.deployments(), List.of()));
        }
        EstateViewModel vm = new EstateViewModel(BackgroundExecutor.inline(), () -> snapshot(many));
        vm.scan();
        vm.filterTextProperty().set("cert-99");
        assertThat(vm.rows()).hasSize(111);
        assertThat(vm.rows().get(0).id()).as("the critical ones first").isEqualTo("cert-990");
    }
}
