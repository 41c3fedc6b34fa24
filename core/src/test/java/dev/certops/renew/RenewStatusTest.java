package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryDatabase;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryStores;
import dev.certops.history.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead man's switch as both faces read it (status command, console status bar), over a real SQLite history. */
class RenewStatusTest {
    private static final Instant T0 = Instant.parse("2025-03-01T02:00:00Z");
    @TempDir Path dir;

    private Workspace workspace() throws Exception {
        Workspace ws = new Workspace(dir.resolve("ws"));
        ws.create();
        Files.writeString(ws.configFile(), """
                certificates:
                  - { id: api, names: [api.example.test], endpoints: ["127.0.0.1:1"] }
                  - { id: shop, names: [shop.example.test], endpoints: ["127.0.0.1:2"] }
                """);
        return ws;
    }

    private static HistoryStore history(Workspace ws, Instant at) throws Exception {
        return HistoryStores.open(new HistoryDatabase.Sqlite(ws.historyFile()), "test", Clock.fixed(at, ZoneOffset.UTC));
    }

    @Test
    void aLastSuccessThreeDaysAgoTripsTheSwitchWithTheNextCommandsAndTheFailingCount() throws Exception {
        Workspace ws = workspace();
        try (HistoryStore h = history(ws, T0)) {
            h.append(new NewEvent(EventKinds.RENEW_RUN_FINISHED, "renew", "ok", Map.of("exit", 0)));
            h.append(new NewEvent(EventKinds.RENEW_FAILED, "api", "failed", Map.of("reason", "CA down")));
        }
        try (HistoryStore h = history(ws, T0)) {
            RenewStatus s = RenewStatus.read(ws.loadConfig(), h, T0.plus(Duration.ofDays(3)).plusSeconds(5));
            assertThat(s.stale()).isTrue();
            assertThat(s.headline()).get().asString().contains("Renewals have not succeeded for 3 d",
                    "./certops status", "./certops schedule status", "1 certificate failing");
        }
    }

    @Test
    void aRecentSuccessWithNothingFailingIsQuiet() throws Exception {
        Workspace ws = workspace();
        try (HistoryStore h = history(ws, T0)) {
            h.append(new NewEvent(EventKinds.RENEW_RUN_FINISHED, "renew", "ok", Map.of("exit", 0)));
            RenewStatus s = RenewStatus.read(ws.loadConfig(), h, T0.plus(Duration.ofHours(2)));
            assertThat(s.needsAttention()).isFalse();
            assertThat(s.headline()).isEmpty();
        }
    }

    @Test
    void managedCertificatesWithNoRenewRunEverSayNever() throws Exception {
        Workspace ws = workspace();
        try (HistoryStore h = history(ws, T0)) {
            assertThat(RenewStatus.read(ws.loadConfig(), h, T0).headline()).get().asString()
                    .startsWith("Renewals have never succeeded — run ./certops status");
        }
    }
}
