package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.alert.AlertReceiver;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.testing.FreePort;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budget below its safety line reaches the alert channels (a real local HTTP receiver): 41 of
 * Let's Encrypt's 50 weekly certificates for example.com are used (the line is 80% = 40), so
 * {@code certops status} and the end of a {@code certops renew} run report BUDGET_LOW for
 * {@code le/example.com} once; two days later the bucket has refilled below the line and the
 * status check resolves it.
 */
class BudgetAlertsTest {
    @TempDir Path dir;
    Workspace ws;
    AlertReceiver receiver;

    @BeforeEach
    void fortyOneIssuancesForOneRegisteredDomain() throws Exception {
        receiver = new AlertReceiver();
        ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: le, directory: "https://127.0.0.1:%d/dir", agreeToTerms: true, limits: letsencrypt }
                alerts:
                  - { id: ops, type: webhook, url: "%s" }
                """.formatted(FreePort.tcp(), receiver.url("/hook")));
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < 41; i++) {
            // issued on this account by another tool (imported for the budget): not certificates this workspace manages
            events.add(new NewEvent(EventKinds.RATELIMIT_IMPORTED, "", "info", Map.of("ca", "le", "staging", false,
                    "account", "https://acme.example.test/acct/1", "names", List.of("old" + i + ".example.com"),
                    "serial", String.format("%x", 1000 + i), "time", Instant.now().toString(), "source", "test")));
        }
        try (var h = SqliteHistoryStore.open(ws.root().resolve("history.db"), "tester@test")) {
            h.appendAll(events);
        }
    }

    @AfterEach
    void stop() { receiver.close(); }

    /** A command as run {@code later} from now (the operator's machine two days on). */
    private CliRun run(Duration later, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Clock clock = Clock.offset(Clock.systemUTC(), later);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.root().toString();
        try (CliContext ctx = new CliContext(Map.of("USER", "tester"), new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
                new PrintWriter(err, true), clock.withZone(ZoneOffset.UTC))) {
            int code = Cli.execute(ctx, all);
            return new CliRun(code, out.toString(), err.toString());
        }
    }

    @Test
    void statusAlertsOnceForADomainAboveTheSafetyLineAndResolvesWhenItHasRefilledBelowIt() throws Exception {
        CliRun first = run(Duration.ZERO, "status");
        CliRun again = run(Duration.ZERO, "status");

        assertThat(first.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(first.err()).contains("WARNING: CA le: registered domain example.com has used 82% of new certificates per registered domain"
                + " (safety line 80%)").contains("./certops budget --ca le");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.WARNING);
        assertThat(receiver.requests("/hook")).as("one alert for one condition").singleElement().satisfies(r -> {
            JsonNode j = r.json();
            assertThat(j.path("action").asText()).isEqualTo("trigger");
            assertThat(j.path("kind").asText()).isEqualTo("budget_low");
            assertThat(j.path("subject").asText()).isEqualTo("le/example.com");
            assertThat(j.path("severity").asText()).isEqualTo("warning");
            assertThat(j.path("facts").path("used").asText()).isEqualTo("41 of 50 (82%, safety line 80%)");
            assertThat(j.path("facts").path("registeredDomain").asText()).isEqualTo("example.com");
            assertThat(j.path("facts").has("underTheLineAt")).isTrue();
            assertThat(j.path("nextStep").asText()).isEqualTo("./certops budget --ca le");
        });

        CliRun refilled = run(Duration.ofDays(2), "status");

        assertThat(refilled.exitCode()).as(refilled.err()).isZero();
        assertThat(refilled.out()).contains("Rate-limit budget:    under the safety line");
        assertThat(receiver.requests("/hook")).hasSize(2).last().satisfies(r -> {
            assertThat(r.json().path("action").asText()).isEqualTo("resolve");
            assertThat(r.json().path("key").asText()).isEqualTo("budget_low:le/example.com");
        });
    }

    @Test
    void theEndOfARenewRunReportsTheBudgetBelowItsSafetyLine() throws Exception {
        CliRun renew = run(Duration.ZERO, "renew");

        assertThat(renew.exitCode()).as(renew.err()).isZero();
        assertThat(receiver.requests("/hook")).singleElement().satisfies(r -> {
            assertThat(r.json().path("kind").asText()).isEqualTo("budget_low");
            assertThat(r.json().path("subject").asText()).isEqualTo("le/example.com");
        });
    }
}
