package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.root.CompositionRoot;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pebble rejecting half of all nonces (PEBBLE_WFE_NONCEREJECT=50): badNonce is retried transparently. */
class NonceRejectionTest {
    @TempDir Path dir;

    @Test
    void issuanceSucceedsWhenHalfOfAllNoncesAreRejected() throws Exception {
        try (AcmeLab lab = new AcmeLab(dir.resolve("lab"), 50);
             CompositionRoot s = lab.workspace(dir.resolve("ws"), """
                     - { id: api, names: [api.example.test], challenge: { type: http-01, host: web } }
                     - { id: multi, names: [a.example.test, b.example.test], challenge: { type: dns-01, dns: lab } }
                     """)) {
            IssuanceService svc = s.operations().issuance(FailoverPolicy.defaults().withBackoff(Duration.ofMillis(50)));
            assertThat(svc.issue(IssueRequest.of("api").onlyFrom("primary"), IssuanceListener.NONE).ca()).isEqualTo("primary");
            assertThat(svc.issue(IssueRequest.of("multi").onlyFrom("primary"), IssuanceListener.NONE).ca()).isEqualTo("primary");
        }
    }
}
