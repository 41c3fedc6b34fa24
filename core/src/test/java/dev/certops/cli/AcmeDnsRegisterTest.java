package dev.certops.cli;

import dev.certops.testing.AcmeDnsStandIn;
import dev.certops.testing.BindFixture;
import dev.certops.testing.BindFixture.Zone;
import dev.certops.testing.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code certops dns register} against {@link AcmeDnsStandIn} (acme-dns's documented /register and
 * /update, https://github.com/joohoi/acme-dns#api), whose accepted TXT values are written into a real
 * BIND serving {@code auth.acme-dns.test} (acme-dns serves them itself); the fleet's zone
 * {@code example.test} is on the same BIND and gets the CNAME the command prints.
 */
class AcmeDnsRegisterTest {
    @TempDir static Path dir;
    static BindFixture bind;
    static AcmeDnsStandIn acmeDns;
    static Path ws;

    @BeforeAll static void start() throws Exception {
        int port = FreePort.tcpAndUdp();
        bind = BindFixture.primary(Files.createDirectories(dir.resolve("bind")), "127.0.0.1", port,
                List.of(new Zone("example.test", List.of()), new Zone("auth.acme-dns.test", List.of())));
        acmeDns = AcmeDnsStandIn.start("auth.acme-dns.test", (fulldomain, value) -> {
            try {
                bind.add("auth.acme-dns.test", fulldomain + ".", Type.TXT, "\"" + value + "\"");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ws = dir.resolve("ws");
        assertThat(CliRun.run("--workspace", ws.toString(), "init").exitCode()).isZero();
        Files.writeString(ws.resolve("certops.yaml"), """
                resolvers: ["%s"]
                dns:
                  - { id: bind, type: rfc2136, server: "%s", tsigKeyName: %s, tsigSecret: "secret:tsig", nameserverPort: "%d" }
                  - { id: acmedns, type: acme-dns, url: "%s", nameserverPort: "%d", pollInterval: 100ms, propagationTimeout: 10s }
                certificates:
                  - { id: www, names: [www.example.test], challenge: { type: dns-01, dns: bind } }
                """.formatted(bind.hostPort(), bind.hostPort(), BindFixture.KEY_NAME, port, acmeDns.url(), port));
        assertThat(CliRun.run(Map.of(), bind.tsigSecret(), "--workspace", ws.toString(), "secret", "set", "tsig").exitCode()).isZero();
    }

    @AfterAll static void stop() {
        if (acmeDns != null) acmeDns.close();
        if (bind != null) bind.close();
    }

    @Test
    void registerStoresTheAccountAsASecretPrintsTheCnameAndConfigCheckAndDnsTestUseIt() throws Exception {
        CliRun r = CliRun.run("--workspace", ws.toString(), "dns", "register", "acmedns", "--name", "www.example.test", "--allow-from", "127.0.0.0/8");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        AcmeDnsStandIn.Account account = acmeDns.accounts().get(0);
        Path secret = ws.resolve("secrets/acme-dns-acmedns");
        assertThat(r.out()).contains("fulldomain: " + account.fulldomain())
                .contains("  _acme-challenge.www.example.test. CNAME " + account.fulldomain() + ".")
                .contains("Stored its username and password as secret acme-dns-acmedns in " + secret)
                .contains("allowed to update from: 127.0.0.0/8")
                .doesNotContain(account.password()).doesNotContain(account.username());
        assertThat(r.err()).doesNotContain(account.password());
        assertThat(acmeDns.registrations()).containsExactly("{\"allowfrom\":[\"127.0.0.0/8\"]}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(Files.readString(secret)).contains("\"password\":\"" + account.password() + "\"").contains("\"username\":\"" + account.username() + "\"");

        CliRun again = CliRun.run("--workspace", ws.toString(), "dns", "register", "acmedns", "--name", "www.example.test");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err() + again.out()).contains("dns provider 'acmedns' already has an account (secret acme-dns-acmedns); nothing was registered. Use --replace");
        assertThat(acmeDns.registrations()).hasSize(1);

        bind.add("example.test", "_acme-challenge.www.example.test.", Type.CNAME, account.fulldomain() + ".");

        CliRun check = CliRun.run("--workspace", ws.toString(), "config", "check");
        assertThat(check.out()).as(check.out() + check.err())
                .contains("dns-01 www www.example.test: _acme-challenge.www.example.test. → " + account.fulldomain() + ". (written by dns provider 'acmedns')");

        CliRun test = CliRun.run("--workspace", ws.toString(), "dns", "test", "acmedns", "--name", "www.example.test");
        assertThat(test.exitCode()).as(test.out() + test.err()).isZero();
        assertThat(test.out()).contains("✔ publish TXT " + account.fulldomain() + ". (").contains("✔ see it on every authoritative server (")
                .contains("dns provider 'acmedns' works for www.example.test").doesNotContain(account.password());
        assertThat(acmeDns.values(account.subdomain())).singleElement().asString().startsWith("certops-dns-test-").hasSize(43);
    }

    @Test
    void registerRefusesAProviderThatIsNotAcmeDns() {
        CliRun r = CliRun.run("--workspace", ws.toString(), "dns", "register", "bind", "--name", "www.example.test");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err() + r.out()).contains("dns provider 'bind' has type rfc2136; dns register is for type acme-dns");
    }
}
