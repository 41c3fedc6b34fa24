package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.alert.Alerts;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.root.CompositionRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renew worker that fails in a way no stage expected (an injected fault in its progress reporting). */
class RenewWorkersTest {
    @TempDir Path dir;

    @Test
    void aWorkerThatFailsUnexpectedlyIsRecordedAsFailedSoTheNextRunBacksOff() throws Exception {
        var ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 1);
        try (CompositionRoot session = new CompositionRoot(ws, Map.of("USER", "tester"), Clock.systemUTC())) {
            RenewService service = new RenewService(session, Alerts.none());
            RenewProgress broken = (id, line) -> {
                throw new IllegalStateException("injected fault while reporting " + id);
            };

            var first = ((RenewService.Ran) service.run(RenewService.Request.all(), broken)).result();

            assertThat(first.outcomes()).singleElement().isInstanceOfSatisfying(RenewOutcome.Failed.class,
                    f -> assertThat(f.reason()).contains("injected fault"));
            assertThat(session.history().query(EventQuery.all().kind(EventKinds.RENEW_FAILED))).singleElement()
                    .satisfies(e -> assertThat(e.subject()).isEqualTo("c0"));

            var second = ((RenewService.Ran) service.run(RenewService.Request.all(), RenewProgress.NONE)).result();

            assertThat(second.outcomes()).singleElement().isInstanceOf(RenewOutcome.BackedOff.class);
        }
    }
}
