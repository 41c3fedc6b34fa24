package dev.certops.app.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.HistoryEvent;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History as sentences and labelled fields: no JSON, no nanoseconds, failures recognised. */
class EventWordsTest {
    private static HistoryEvent event(String kind, String subject, String outcome, String json) {
        return new HistoryEvent(7, Instant.parse("2026-12-06T03:12:05.123456789Z"), "alice@laptop", kind, subject, outcome, json, "", "");
    }

    @Test
    void aVerifiedHostDeploymentReadsAsOneSentence() {
        HistoryEvent e = event("deploy.host.finished", "api", "ok", "{\"host\":\"web1\",\"release\":\"20261206T031205Z-4f3a\",\"serial\":\"4f3a\"}");
        assertThat(EventWords.sentence(e)).isEqualTo("api deployed to web1 and verified, release 20261206T031205Z-4f3a");
        assertThat(EventWords.failure(e)).isFalse();
    }

    @Test
    void aFailedRenewSaysWhereAndWhyAndIsAFailure() {
        HistoryEvent e = event("renew.failed", "shop", "failed", "{\"stage\":\"issue\",\"reason\":\"every CA failed: primary connection refused\\nmore\"}");
        assertThat(EventWords.sentence(e)).isEqualTo("Renewing shop failed at issue: every CA failed: primary connection refused");
        assertThat(EventWords.failure(e)).isTrue();
    }

    @Test
    void theDetailPaneLabelsEveryFieldInLocalTimeWithoutJson() {
        HistoryEvent e = event("renew.backed-off", "shop", "info", "{\"nextAttempt\":\"2026-12-06T04:00:00.5Z\",\"failures\":3,\"hosts\":[\"web1\",\"web2\"],"
                + "\"ca\":{\"id\":\"primary\",\"status\":503}}");
        Map<String, String> f = new java.util.LinkedHashMap<>();
        EventWords.fields(e).forEach(x -> f.put(x.getKey(), x.getValue()));
        assertThat(f).containsKeys("What", "When", "Kind", "Subject", "Outcome", "Who", "Event number", "Next attempt", "Failures", "Hosts", "Ca › Id", "Ca › Status");
        assertThat(f.get("Hosts")).isEqualTo("web1, web2");
        assertThat(f.get("Next attempt")).matches("2026-12-06 \\d\\d:00:00 .+");
        assertThat(f.get("When")).doesNotContain(".123");
        assertThat(String.join(" ", f.values())).doesNotContain("{", "}", "\"");
    }
}
