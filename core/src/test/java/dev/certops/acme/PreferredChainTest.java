package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.crypto.PemReader;
import dev.certops.root.CompositionRoot;
import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.testing.PebbleFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.ldap.LdapName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Pebble offering an alternate chain (PEBBLE_ALTERNATE_ROOTS=1): {@code preferredChain:} picks it by its root's name. */
class PreferredChainTest {
    @TempDir static Path labDir;
    @TempDir Path dir;
    static ChallTestSrvFixture dns;
    static PebbleFixture pebble;

    @BeforeAll
    static void start() throws Exception {
        dns = ChallTestSrvFixture.start(Files.createDirectories(labDir.resolve("dns")));
        pebble = PebbleFixture.builder(labDir.resolve("pebble")).dns(dns).env("PEBBLE_ALTERNATE_ROOTS", "1").start();
    }

    @AfterAll
    static void stop() {
        pebble.close();
        dns.close();
    }

    private CompositionRoot workspace(String preferredChain) throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                resolvers: ["%s"]
                cas:
                  - { id: pebble, directory: "%s", trust: "%s", agreeToTerms: true }
                dns:
                  - { id: lab, type: challtestsrv, url: "%s" }
                certificates:
                  - { id: api, names: [chain.example.test], challenge: { type: dns-01, dns: lab }%s }
                """.formatted(dns.dnsHostPort(), pebble.directoryUrl(), pebble.trustAnchorPem(), dns.managementUrl(),
                preferredChain.isEmpty() ? "" : ", preferredChain: \"" + preferredChain + "\""));
        return new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC());
    }

    @Test
    void preferredChainPicksTheAlternateChainIssuedByThatRoot() throws Exception {
        String alternate = commonName(root(1));
        try (CompositionRoot s = workspace(alternate)) {
            var v = s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("api"), IssuanceListener.NONE);
            assertThat(topIssuer(v)).isEqualTo(alternate);
        }
    }

    @Test
    void aPreferredChainTheCaDoesNotOfferKeepsTheDefaultChainAndSaysSo() throws Exception {
        try (CompositionRoot s = workspace("No Such Root")) {
            List<String> steps = new ArrayList<>();
            var v = s.operations().issuance(FailoverPolicy.defaults()).issue(IssueRequest.of("api"), (ca, stage, msg) -> steps.add(msg));
            assertThat(topIssuer(v)).isEqualTo(commonName(root(0)));
            assertThat(steps).anyMatch(m -> m.contains("no chain issued by 'No Such Root' is offered"));
        }
    }

    private static X509Certificate root(int n) throws Exception {
        HttpResponse<String> r = pebble.httpClient().send(HttpRequest.newBuilder(pebble.managementUrl().resolve("/roots/" + n)).build(),
                HttpResponse.BodyHandlers.ofString());
        return PemReader.readCertificates(r.body(), "/roots/" + n).get(0);
    }

    private static String topIssuer(CertificateVersions.Version v) throws Exception {
        List<X509Certificate> chain = PemReader.readCertificates(v.dir().resolve("fullchain.pem"));
        return commonName(chain.get(chain.size() - 1).getIssuerX500Principal().getName());
    }

    private static String commonName(X509Certificate c) throws Exception { return commonName(c.getSubjectX500Principal().getName()); }

    private static String commonName(String dn) throws Exception {
        return new LdapName(dn).getRdns().stream().filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> r.getValue().toString()).findFirst().orElse(dn);
    }
}
