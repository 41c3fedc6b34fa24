package dev.certops.acme.dns;

import dev.certops.config.DnsConfig;
import dev.certops.testing.AcmeDnsStandIn;
import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An acme-dns account as the target of CNAME delegation: a real BIND holds
 * {@code _acme-challenge.www.example.test. CNAME SUB.auth.acme-dns.test.}, and registration and updates
 * go to {@link AcmeDnsStandIn}, a local server that follows acme-dns's documented API
 * (https://github.com/joohoi/acme-dns#api: {@code POST /register} answering 201 with
 * {@code username, password, fulldomain, subdomain, allowfrom}; {@code POST /update} with {@code X-Api-User},
 * {@code X-Api-Key} and {@code {"subdomain","txt"}}).
 */
class AcmeDnsProviderTest {
    private static final String USER = "c36f50e8-4632-44f0-83fe-e070fef28a10";
    private static final String PASSWORD = "htB9mR9DYgcu9bX_afHF62erXaH2TS7bg9KW3F7Z";
    private static final String SUB = "8e5700ea-a4bf-41c7-8a77-e990661dcc6a";
    private static final String DIGEST = "LPsIwTo7o8BoG0-vjCyGQGBWSVIPxI-i_X336eUOQZo";
    @TempDir static Path dir;
    static BindFixture bind;
    static AcmeDnsStandIn acmeDns;

    @BeforeAll static void start() throws Exception {
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", FreePort.tcpAndUdp(),
                List.of(new Zone("example.test", List.of("_acme-challenge.www IN CNAME " + SUB + ".auth.acme-dns.test.")),
                        new Zone("auth.acme-dns.test", List.of()))); // acme-dns's own DNS side, which this stand-in does not run
        acmeDns = AcmeDnsStandIn.start("auth.acme-dns.test", (fulldomain, value) -> { });
        acmeDns.add(new AcmeDnsStandIn.Account(USER, PASSWORD, SUB, SUB + ".auth.acme-dns.test", List.of()));
    }

    @AfterAll static void stop() {
        if (acmeDns != null) acmeDns.close();
        if (bind != null) bind.close();
    }

    private static DnsRouting routing(String password) {
        List<DnsConfig> providers = List.of(
                new DnsConfig("fleet", "rfc2136", Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME, "tsigSecret", "secret:tsig"), 1),
                new DnsConfig("acmedns", "acme-dns", Map.of("url", acmeDns.url(), "username", USER,
                        "password", "secret:acme-dns", "subdomain", SUB, "fulldomain", SUB + ".auth.acme-dns.test"), 2));
        return new DnsRouting(providers, "fleet", n -> (n.equals("tsig") ? bind.tsigSecret() : password).getBytes(StandardCharsets.UTF_8),
                Resolvers.of(List.of(bind.hostPort())), Clock.systemUTC());
    }

    @Test
    void theCnameToTheAccountsFulldomainRoutesTheUpdateToAcmeDns() throws Exception {
        DnsRouting.Route route = routing(PASSWORD).route("_acme-challenge.www.example.test.");

        route.provider().present(route.target(), DIGEST);

        assertThat(route.describe()).isEqualTo("_acme-challenge.www.example.test. → " + SUB + ".auth.acme-dns.test. (written by dns provider 'acmedns')");
        assertThat(acmeDns.values(SUB)).contains(DIGEST);
    }

    @Test
    void aRejectedPasswordIsReportedWithoutIt() throws Exception {
        DnsRouting.Route route = routing("wrong-password-123").route("_acme-challenge.www.example.test.");

        assertThatThrownBy(() -> route.provider().present(route.target(), DIGEST))
                .hasMessageStartingWith("acme-dns: POST /update answered HTTP 401: forbidden; check 'username' and the secret named by 'password'")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void aNameThatIsNotTheAccountsFulldomainIsRefused() throws Exception {
        DnsProvider p = DnsProviders.build(new DnsConfig("acmedns", "acme-dns", Map.of("url", "http://127.0.0.1:1", "username", USER,
                "password", "secret:acme-dns", "subdomain", SUB, "fulldomain", SUB + ".auth.acme-dns.test"), 2), n -> PASSWORD.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> p.present("_acme-challenge.www.example.test.", DIGEST))
                .hasMessage("acme-dns: _acme-challenge.www.example.test. is not this account's fulldomain " + SUB
                        + ".auth.acme-dns.test (dns provider 'acmedns'); make _acme-challenge.NAME a CNAME to " + SUB + ".auth.acme-dns.test.");
    }

    @Test
    void aRegisteredAccountStoredAsOneSecretIsWhatTheProviderUsesAndItClaimsItsFulldomain() throws Exception {
        DnsConfig cfg = new DnsConfig("reg", "acme-dns", Map.of("url", acmeDns.url()), 3);
        AcmeDnsAccount account = AcmeDnsAccount.register(cfg, List.of("127.0.0.0/8"));
        Map<String, byte[]> store = Map.of(AcmeDnsAccount.secretName(cfg), account.toSecret(), "tsig", bind.tsigSecret().getBytes(StandardCharsets.UTF_8));

        assertThat(acmeDns.registrations()).contains("{\"allowfrom\":[\"127.0.0.0/8\"]}");
        assertThat(AcmeDnsAccount.secretName(cfg)).isEqualTo("acme-dns-reg");
        assertThat(account.fulldomain()).isEqualTo(account.subdomain() + ".auth.acme-dns.test");
        assertThat(account.allowfrom()).containsExactly("127.0.0.0/8");
        assertThat(account.cname("*.www.example.test")).isEqualTo("_acme-challenge.www.example.test. CNAME " + account.fulldomain() + ".");
        assertThat(account.toString()).doesNotContain(account.password()).doesNotContain(account.username());

        DnsRouting routing = new DnsRouting(List.of(
                new DnsConfig("fleet", "rfc2136", Map.of("server", bind.hostPort(), "tsigKeyName", BindFixture.KEY_NAME, "tsigSecret", "secret:tsig"), 1),
                cfg), "fleet", store::get, Resolvers.of(List.of(bind.hostPort())), Clock.systemUTC());
        assertThat(routing.owner(Name.fromString(account.fulldomain() + ".")).map(DnsConfig::id)).contains("reg");
        DnsProvider p = DnsProviders.build(cfg, store::get);
        p.present(account.fulldomain() + ".", DIGEST);

        assertThat(acmeDns.values(account.subdomain())).containsExactly(DIGEST);
    }

    @Test
    void anAcmeDnsProviderWithoutAStoredAccountSaysToRegister() {
        DnsConfig cfg = new DnsConfig("fresh", "acme-dns", Map.of("url", acmeDns.url()), 4);

        assertThatThrownBy(() -> DnsProviders.build(cfg, n -> null))
                .hasMessage("acme-dns: dns provider 'fresh' has no account yet (no secret 'acme-dns-fresh'); register one with `./certops dns register fresh --name NAME`");
    }

    @Test
    void aNetworkThatIsNotCidrIsRefusedByRegisterWithWhatToFix() {
        DnsConfig cfg = new DnsConfig("reg", "acme-dns", Map.of("url", acmeDns.url()), 3);

        assertThatThrownBy(() -> AcmeDnsAccount.register(cfg, List.of("everyone")))
                .hasMessage("acme-dns: POST /register answered HTTP 400: invalid_allowfrom_cidr; check each --allow-from network (CIDR such as 192.0.2.0/24) (dns provider 'reg')");
    }
}
