package dev.certops.acme.dns;

import dev.certops.testing.ChallTestSrvFixture;
import dev.certops.config.DnsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PropagationCheckerTest {
    @TempDir static Path dir;
    static ChallTestSrvFixture srv;

    @BeforeAll static void start() throws Exception { srv = ChallTestSrvFixture.start(dir); }

    @AfterAll static void stop() { if (srv != null) srv.close(); }

    @Test
    void returnsOnceTheRecordAppearsOnTheConfiguredResolvers() throws Exception {
        DnsProvider p = DnsProviders.build(new DnsConfig("lab", "challtestsrv", Map.of("url", srv.managementUrl()), 1), n -> null);
        String fqdn = "_acme-challenge.later.example.test.";
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> published = later.schedule(() -> { p.present(fqdn, "late-value"); return null; }, 300, TimeUnit.MILLISECONDS);

            PropagationChecker.of(srv.resolvers(), Clock.systemUTC()).awaitTxt(fqdn, "late-value", Duration.ofSeconds(20));

            assertThat(published.isDone()).as("returned only after the record was published").isTrue();
            assertThat(Txt.at(srv.dnsHostPort(), fqdn)).contains("late-value");
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void timesOutNamingRecordValueAndWhatEachServerReturned() {
        PropagationChecker checker = PropagationChecker.of(srv.resolvers(), Clock.systemUTC());

        assertThatThrownBy(() -> checker.awaitTxt("_acme-challenge.never.example.test.", "expected-digest", Duration.ofMillis(400)))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining("TXT _acme-challenge.never.example.test. = \"expected-digest\" was not visible on every configured resolver")
                .hasMessageContaining(srv.dnsHostPort() + " still answers no TXT record");
    }

    @Test
    void reportsOtherValuesWhenTheServerHasTheWrongOne() throws Exception {
        String fqdn = "_acme-challenge.stale.example.test.";
        srv.post("/set-txt", "{\"host\":\"" + fqdn + "\",\"value\":\"old-digest\"}");
        PropagationChecker checker = PropagationChecker.of(srv.resolvers(), Clock.systemUTC());

        assertThatThrownBy(() -> checker.awaitTxt(fqdn, "new-digest", Duration.ofMillis(300)))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining(srv.dnsHostPort() + " still answers other values [old-digest]");
    }

    @Test
    void providerTimingSetsTheDeadline() throws Exception {
        PropagationSettings timing = (PropagationSettings) DnsProviders.build(new DnsConfig("lab", "challtestsrv",
                Map.of("url", srv.managementUrl(), "propagationTimeout", "300ms", "pollInterval", "50ms"), 1), n -> null);
        PropagationChecker checker = PropagationChecker.of(srv.resolvers(), Clock.systemUTC());

        assertThatThrownBy(() -> checker.awaitTxt("_acme-challenge.timed.example.test.", "v", timing))
                .isInstanceOf(PropagationTimeoutException.class)
                .hasMessageContaining("within 300ms");
    }
}
