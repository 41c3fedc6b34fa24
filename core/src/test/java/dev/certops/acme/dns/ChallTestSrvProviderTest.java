package dev.certops.acme.dns;

import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChallTestSrvProviderTest {
    @TempDir static Path dir;
    static ChallTestSrvFixture srv;

    @BeforeAll static void start() throws Exception { srv = ChallTestSrvFixture.start(dir); }

    @AfterAll static void stop() { if (srv != null) srv.close(); }

    private static DnsProvider provider(String url) throws DnsProviderException {
        return DnsProviders.build(new DnsConfig("lab", "challtestsrv", Map.of("url", url), 3), name -> null);
    }

    @Test
    void presentedRecordIsServedAndGoneAfterCleanUp() throws Exception {
        DnsProvider p = provider(srv.managementUrl());
        String fqdn = "_acme-challenge.present.example.test.";

        p.present(fqdn, "digest-1");
        assertThat(Txt.at(srv.dnsHostPort(), fqdn)).containsExactly("digest-1");

        p.cleanUp(fqdn, "digest-1");
        assertThat(Txt.at(srv.dnsHostPort(), fqdn)).isEmpty();
    }

    @Test
    void unreachableManagementApiSaysWhatToCheck() throws Exception {
        DnsProvider p = provider("http://127.0.0.1:" + dev.certops.testing.ManagedProcess.freePort());

        assertThatThrownBy(() -> p.present("_acme-challenge.x.example.test.", "v"))
                .isInstanceOf(DnsProviderException.class)
                .hasMessageStartingWith("challtestsrv: cannot reach http://127.0.0.1:")
                .hasMessageContaining("check that pebble-challtestsrv runs");
    }
}
