package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.Workspace;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.PebbleFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA that requires External Account Binding (as ZeroSSL and Google Trust Services do), here a real Pebble. */
class ExternalAccountBindingTest {
    @TempDir Path dir;
    private static final String KID = "kid-certops";
    private static final String HMAC = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    private CompositionRoot workspace(Path root, ChallTestSrvFixture dns, PebbleFixture ca, boolean withEab) throws Exception {
        Workspace ws = new Workspace(root);
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - id: eabca
                    directory: %s
                    trust: %s
                    agreeToTerms: true
                %s
                dns:
                  - { id: lab, type: challtestsrv, url: "%s" }
                certificates:
                  - { id: api, names: [api.example.test], challenge: { type: dns-01, dns: lab } }
                """.formatted(dns.dnsHostPort(), ca.directoryUrl(), ca.trustAnchorPem(),
                withEab ? "    eab: { kid: \"" + KID + "\", hmac: \"secret:eabca-hmac\" }" : "", dns.managementUrl()));
        CompositionRoot s = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
        if (withEab) s.secrets().write("eabca-hmac", HMAC.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void anAccountIsBoundWithTheEabCredentialsFromSecretsAndTheCaSaysWhenTheyAreMissing() throws Exception {
        try (ChallTestSrvFixture dns = ChallTestSrvFixture.start(Files.createDirectories(dir.resolve("dns")));
             PebbleFixture ca = PebbleFixture.builder(dir.resolve("pebble")).dns(dns).eab(KID, HMAC).start()) {
            try (CompositionRoot s = workspace(dir.resolve("with"), dns, ca, true)) {
                assertThat(s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("api"), IssuanceListener.NONE).ca()).isEqualTo("eabca");
            }
            try (CompositionRoot s = workspace(dir.resolve("without"), dns, ca, false)) {
                assertThatThrownBy(() -> s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("api"), IssuanceListener.NONE))
                        .hasMessageContaining("requires External Account Binding").hasMessageContaining("eab:");
            }
        }
    }
}
