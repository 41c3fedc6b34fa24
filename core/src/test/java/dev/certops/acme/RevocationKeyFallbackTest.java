package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.FaultProxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-compromise revocation against a real Pebble behind a proxy that refuses the request signed
 * with the certificate's key (JWS header with "jwk") as unauthorized and passes everything else:
 * certops revokes again with the account key ("kid") and records which key the CA accepted.
 */
class RevocationKeyFallbackTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static AcmeLab lab;
    static FaultProxy proxy;
    private static final String REVOKE = "/revoke-cert";

    @BeforeAll
    static void start() throws Exception {
        lab = new AcmeLab(labDir);
        proxy = new FaultProxy(lab.primary, lab.primary.tls().certPem(), lab.primary.tls().keyPem());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        lab.close();
    }

    private static boolean signedWithTheCertificateKey(FaultProxy.Request r) {
        return r.path().startsWith(REVOKE) && FaultProxy.protectedHeader(r).contains("\"jwk\"");
    }

    @Test
    void aCaRefusingTheCertificateKeyIsAskedAgainWithTheAccountKeyAndTheAcceptedKeyIsRecorded() throws Exception {
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), "- { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }",
                proxy.directoryUrl())) {
            IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults());
            var issued = svc.issue(IssueRequest.of("api"), IssuanceListener.NONE);
            assertThat(issued.ca()).isEqualTo("primary");
            proxy.refuse(RevocationKeyFallbackTest::signedWithTheCertificateKey, 1, 403, "urn:ietf:params:acme:error:unauthorized",
                    "revocation with the certificate key is not accepted here");
            int before = proxy.requests().size();

            svc.revoke("api", Optional.empty(), IssuanceService.RevocationReason.KEY_COMPROMISE);

            List<FaultProxy.Request> sent = proxy.requests();
            List<FaultProxy.Request> revokes = sent.subList(before, sent.size()).stream().filter(r -> r.path().startsWith(REVOKE)).toList();
            assertThat(revokes).hasSize(2);
            assertThat(FaultProxy.protectedHeader(revokes.get(0))).contains("\"jwk\"").doesNotContain("\"kid\"");
            assertThat(FaultProxy.protectedHeader(revokes.get(1))).contains("\"kid\"").doesNotContain("\"jwk\"");
            assertThat(lab.primary.certStatusBySerial(issued.serial())).contains("Revoked");
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_REVOKED))).singleElement().satisfies(e -> {
                assertThat(e.details()).contains("\"signedBy\":\"account\"", "\"reason\":\"key-compromise\"", "\"certificateKeyRefused\":")
                        .contains("not accepted here");
            });
        }
    }

    @Test
    void aCaAcceptingTheCertificateKeyRecordsThatKey() throws Exception {
        try (CompositionRoot s = lab.workspace(dir.resolve("ws"), "- { id: web, names: [web.example.test], challenge: { type: dns-01, dns: lab } }",
                proxy.directoryUrl())) {
            IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults());
            var issued = svc.issue(IssueRequest.of("web"), IssuanceListener.NONE);
            svc.revoke("web", Optional.empty(), IssuanceService.RevocationReason.KEY_COMPROMISE);
            assertThat(lab.primary.certStatusBySerial(issued.serial())).contains("Revoked");
            assertThat(s.history().query(EventQuery.all().kind(EventKinds.ACME_REVOKED))).singleElement()
                    .satisfies(e -> assertThat(e.details()).contains("\"signedBy\":\"certificate\"").doesNotContain("certificateKeyRefused"));
        }
    }
}
