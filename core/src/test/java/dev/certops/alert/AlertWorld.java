package dev.certops.alert;

import dev.certops.config.ConfigLoader;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.SqliteHistoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A workspace for alert tests: a real secret store and SQLite history, a movable clock shared by
 * both, and a sleeper that records back-off waits instead of sleeping.
 */
final class AlertWorld implements AutoCloseable {
    static final Instant START = Instant.parse("2025-03-01T03:00:00Z");
    static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5));

    final Path dir;
    final MovableClock clock = new MovableClock(START);
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final SecretStore secrets;
    final SqliteHistoryStore history;

    AlertWorld(Path dir) throws Exception {
        this.dir = dir;
        this.secrets = new SecretStore(dir.resolve("secrets"), Optional.empty());
        this.history = SqliteHistoryStore.open(dir.resolve("history.db"), "tester@test", clock);
    }

    AlertWorld secret(String name, String value) throws Exception {
        secrets.write(name, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A service over the {@code alerts:} section given as YAML (the real config path). */
    AlertService service(String alertsYaml) throws Exception { return service(alertsYaml, FAST); }

    AlertService service(String alertsYaml, RetryPolicy policy) throws Exception {
        CertopsConfig cfg = ConfigLoader.parse(dir.resolve("certops.yaml"), alertsYaml);
        return AlertService.configure(cfg.alerts(), secrets, history, clock, "/srv/certops-test", policy, sleeps::add);
    }

    List<HistoryEvent> events(String kind) throws Exception {
        return history.query(EventQuery.all().kind(kind));
    }

    /** Every alert event's details, concatenated: for "no secret in history" assertions. */
    String allAlertDetails() throws Exception {
        StringBuilder b = new StringBuilder();
        for (HistoryEvent e : history.query(EventQuery.all().kind("alert."))) b.append(e.subject()).append(' ').append(e.details()).append('\n');
        return b.toString();
    }

    static AlertCondition expiry(String cert, Severity severity) {
        return new AlertCondition(ConditionKind.EXPIRY, cert, severity, "certificate " + cert + " expires in 3 days",
                Map.of("certificate", cert, "daysLeft", "3", "hosts", "web1, web2"), "./certops runbook run renewal-failing --param cert=" + cert);
    }

    static AlertCondition renewalFailed(String cert) {
        return new AlertCondition(ConditionKind.RENEWAL_FAILED, cert, Severity.CRITICAL, "renewal of " + cert + " failed: CA unavailable",
                Map.of("certificate", cert, "failure", "ca-unavailable", "ca", "connection refused"), "./certops runbook run renewal-failing --param cert=" + cert);
    }

    @Override
    public void close() throws Exception { history.close(); }
}
