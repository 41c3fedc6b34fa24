package dev.certops.sshdeploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.HostState;
import dev.certops.deploy.RolloutResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several certificates on one host entry ({@code baseDir:}): each gets BASE/CERT_ID/releases and
 * BASE/CERT_ID/live, served by its own nginx server block, over a real sshd. One lab per class;
 * each test uses its own host entry.
 */
class ManyCertificatesPerHostTest {
    @RegisterExtension static final DeployLabExtension LAB = new DeployLabExtension();
    private static DeployLab lab;

    @BeforeAll
    static void lab() {
        lab = LAB.lab();
    }

    @Test
    void twoCertificatesOnOneHostAreDeployedRolledBackAndVerifiedIndependently() throws Exception {
        lab.addBaseDirHost("multi", List.of("api", "shop"));
        CertificateConfig api = lab.certificateServedAt("api", List.of(List.of("multi")));
        CertificateConfig shop = lab.certificateServedAt("shop", List.of(List.of("multi")));
        String apiBefore = lab.liveRelease("multi", "api");
        DeployBundle apiNext = lab.newVersion("api", "2");
        DeployBundle shopNext = lab.newVersion("shop", "2");

        RolloutResult a = lab.deployerByCertificate().deploy(api, lab.hosts(), apiNext, Set.of(), (h, s, w) -> { });
        RolloutResult b = lab.deployerByCertificate().deploy(shop, lab.hosts(), shopNext, Set.of(), (h, s, w) -> { });

        assertThat(a.ok()).as(a.summary()).isTrue();
        assertThat(b.ok()).as(b.summary()).isTrue();
        assertThat(a.summary()).contains("every host verified");
        lab.awaitServedAt("api", apiNext.leafSha256());
        lab.awaitServedAt("shop", shopNext.leafSha256());

        HostOutcome back = lab.deployerByCertificate().rollback(api, lab.hosts(), "multi", (h, s, w) -> { });

        assertThat(back).isInstanceOfSatisfying(HostOutcome.RolledBack.class, rb -> assertThat(rb.restoredVerified()).as(rb.summary()).isTrue());
        assertThat(lab.liveRelease("multi", "api")).isEqualTo(apiBefore);
        lab.awaitServedAt("api", lab.oldSha256());
        lab.awaitServedAt("shop", shopNext.leafSha256());
        assertThat(lab.liveRelease("multi", "shop")).isNotEqualTo(DeployLab.INITIAL_RELEASE);
    }

    @Test
    void rollbackOfACertificateNotDeployedToTheHostIsRefusedBeforeConnecting() throws Exception {
        lab.addBaseDirHost("lonely", List.of("mail"));
        lab.addBaseDirHost("other", List.of("web"));
        CertificateConfig mail = lab.certificateServedAt("mail", List.of(List.of("lonely")));
        String before = lab.liveRelease("other", "web");

        assertThatThrownBy(() -> lab.deployerByCertificate().rollback(mail, lab.hosts(), "other", (h, s, w) -> { }))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("mail is not deployed to this host (its hosts: lonely)")
                .hasMessageContaining("nothing was changed");
        assertThat(lab.liveRelease("other", "web")).isEqualTo(before);
    }

    @Test
    void aDeployWithNoEndpointToHandshakeIsAWarningAndNeverReportedVerified() throws Exception {
        lab.addBaseDirHost("blind", List.of("intranet"));
        CertificateConfig noEndpoints = new CertificateConfig("intranet", List.of("localhost"), lab.certificateServedAt("intranet", List.of(List.of("blind"))).key(),
                java.util.Optional.empty(), List.of(), List.of(List.of("blind")), List.of(), java.util.Optional.empty(), false, java.util.Optional.empty(), java.util.Optional.empty());
        List<HostState> states = Collections.synchronizedList(new ArrayList<>());

        RolloutResult r = lab.deployerByCertificate().deploy(noEndpoints, lab.hosts(), lab.newVersion("intranet", "2"), Set.of(), (h, s, w) -> states.add(s));

        assertThat(r.ok()).isTrue();
        assertThat(r.unverifiedHosts()).containsExactly("blind");
        assertThat(r.summary()).doesNotContain("every host verified").contains("WARNING", "not verified on blind", "no endpoint");
        assertThat(r.hosts().get(0).summary()).doesNotContain("verified —").contains("NOT verified");
        assertThat(states).contains(HostState.UNVERIFIED).doesNotContain(HostState.VERIFIED);
    }
}
