package dev.certops.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssuanceListener;
import dev.certops.acme.IssuanceService;
import dev.certops.acme.IssueRequest;
import dev.certops.config.CertopsConfig;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.WorkspaceVersions;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunState;
import dev.certops.runbook.StepState;
import dev.certops.root.CompositionRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in key-compromise against real components: a certificate issued by Pebble (with
 * {@code reuseKey: true}, the case where re-keying must override the configuration) is live on
 * nginx; the runbook revokes it at Pebble as keyCompromise, issues with a new key, deploys, and
 * proves by handshake that the compromised serial is served nowhere.
 */
class KeyCompromiseEndToEndTest {
    @TempDir Path dir;
    RunbookLab lab;
    RunbookLab.Site web;
    CompositionRoot session;
    CertificateVersions.Version compromised;
    PublicKey compromisedKey;

    @BeforeEach
    void aPebbleCertificateLiveOnNginx() throws Exception {
        lab = new RunbookLab(dir);
        web = lab.site("web-1", 1, "shop.example.test", false);
        lab.startNginx();
        session = lab.workspace("none", """
                  - id: shop
                    names: [shop.example.test]
                    reuseKey: true
                    challenge: { type: dns-01, dns: hook }
                    cas: [main-ca]
                    deploy: { waves: [[web-1]] }
                    endpoints: [%s]
                """.formatted(web.endpointYaml()));
        compromised = session.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("shop"), IssuanceListener.NONE);
        CertopsConfig cfg = session.config();
        var rollout = session.deployer(dev.certops.deploy.DeploySettings.DEFAULT).deploy(cfg.certificate("shop").orElseThrow(), cfg.hosts(),
                new WorkspaceVersions(session.workspace(), session.secrets()).load("shop", Optional.empty()), Set.of("web-1"), DeployListener.NONE);
        assertThat(rollout.hosts()).allMatch(h -> h.ok());
        compromisedKey = RunbookLab.awaitServed(web.endpoint(), compromised.serial()).getPublicKey();
    }

    @AfterEach
    void stop() {
        if (session != null) session.close();
        if (lab != null) lab.close();
    }

    @Test
    void revokesAsKeyCompromiseReKeysRedeploysAndProvesTheOldSerialIsServedNowhere() throws Exception {
        PublicKey oldKey = compromisedKey;
        Run run = RunbookLab.start(session, "key-compromise", Map.of("certificate", "shop", "serial", compromised.serial()), false);
        RunState s = run.advance();
        assertThat(s.current().orElseThrow().stepId()).isEqualTo("revoke");
        assertThat(run.preview().orElseThrow().details()).singleElement().asString().contains("revoke serial " + compromised.serial());
        s = run.approve(); // revoke
        assertThat(s.current().orElseThrow().stepId()).as(s.steps().toString()).isEqualTo("issue");
        // the order line, then where each dns-01 TXT record is written
        assertThat(run.preview().orElseThrow().details()).first().asString().contains("new key");
        s = run.approve(); // issue
        s = run.approve(); // deploy, then verify runs on its own
        assertThat(s.current().orElseThrow().stepId()).as(s.steps().toString()).isEqualTo("clean-up");
        s = run.approve(); // the manual clean-up
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);

        assertThat(lab.primary.certStatusBySerial(compromised.serial())).contains("Revoked");
        assertThat(session.history().query(EventQuery.all().kind(EventKinds.ACME_REVOKED).subject("shop"))).singleElement()
                .satisfies(e -> assertThat(e.details()).contains("\"reason\":\"key-compromise\"").contains(compromised.serial()));
        String fresh = (String) step(s, "issue").outputs().get("serial");
        assertThat(fresh).isNotEqualTo(compromised.serial());
        assertThat(RunbookLab.awaitServed(web.endpoint(), fresh).getPublicKey()).as("a NEW key, although the certificate says reuseKey: true")
                .isNotEqualTo(oldKey);
        assertThat(step(s, "verify").summary()).contains("old serial " + compromised.serial() + " served nowhere");
    }

    @Test
    void aPendingOrderBegunWithTheCompromisedKeyIsNotFinalizedByTheReKey() throws Exception {
        PublicKey oldKey = compromisedKey;
        Files.writeString(lab.dir.resolve("FAIL"), ""); // a renewal dies at its DNS-01 publish: its order (reusing the key) stays pending
        assertThatThrownBy(() -> session.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("shop"), IssuanceListener.NONE))
                .hasMessageContaining("DNS provider is down");
        Files.delete(lab.dir.resolve("FAIL"));
        assertThat(session.history().query(EventQuery.all().kind(EventKinds.ACME_ORDER_CREATED).subject("shop"))).hasSize(2);

        Run run = RunbookLab.start(session, "key-compromise", Map.of("certificate", "shop", "serial", compromised.serial()), false);
        RunState s = run.advance();
        while (s.status() == RunState.Status.WAITING_APPROVAL) s = run.approve();
        assertThat(s.status()).as(s.steps().toString()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(session.history().query(EventQuery.all().kind(EventKinds.ACME_ORDER_REATTACHED).subject("shop"))).isEmpty();
        String fresh = (String) step(s, "issue").outputs().get("serial");
        assertThat(RunbookLab.awaitServed(web.endpoint(), fresh).getPublicKey()).as("the new certificate does not carry the compromised key")
                .isNotEqualTo(oldKey);
    }

    private static StepState step(RunState s, String id) {
        return s.steps().stream().filter(x -> x.stepId().equals(id)).findFirst().orElseThrow();
    }
}
