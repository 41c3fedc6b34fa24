package dev.certops.history;

import dev.certops.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditExportTest {
    @TempDir Path dir;
    private SqliteHistoryStore store;
    private List<HistoryEvent> events;

    @BeforeEach
    void twoEvents() throws Exception {
        store = SqliteHistoryStore.open(dir.resolve("history.db"), "alice@laptop",
                new SettableClock(Instant.parse("2026-03-01T10:00:00.250Z")));
        events = store.appendAll(List.of(
                new NewEvent(EventKinds.DEPLOY_STEP, "www, api", "ok", Map.of("host", "web1", "note", "said \"hi\"\nthen left")),
                NewEvent.of(EventKinds.SCAN_FINISHED, "", "ok")));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void csvHasAHeaderAndQuotesFieldsAsRfc4180Says() throws Exception {
        StringWriter out = new StringWriter();

        long n = AuditExport.writeCsv(store, EventQuery.all(), out);

        HistoryEvent first = events.get(0);
        assertThat(n).isEqualTo(2);
        assertThat(out.toString()).isEqualTo(
                "seq,time,time_ms,actor,kind,subject,outcome,details,prev_hash,hash\r\n"
                + "1,2026-03-01T10:00:00.250Z,1772359200250,alice@laptop,deploy.step,\"www, api\",ok,"
                + "\"{\"\"host\"\":\"\"web1\"\",\"\"note\"\":\"\"said \\\"\"hi\\\"\"\\nthen left\"\"}\",," + first.hash() + "\r\n"
                + "2,2026-03-01T10:00:00.250Z,1772359200250,alice@laptop,scan.finished,,ok,{}," + first.hash() + ","
                + events.get(1).hash() + "\r\n");
    }

    @Test
    void jsonIsAnArrayWithEveryColumnIncludingHashes() throws Exception {
        StringWriter out = new StringWriter();

        AuditExport.writeJson(store, EventQuery.all(), out);

        JsonNode array = new ObjectMapper().readTree(out.toString());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        JsonNode second = array.get(1);
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("time").asText()).isEqualTo("2026-03-01T10:00:00.250Z");
        assertThat(second.get("time_ms").asLong()).isEqualTo(1772359200250L);
        assertThat(second.get("actor").asText()).isEqualTo("alice@laptop");
        assertThat(second.get("kind").asText()).isEqualTo(EventKinds.SCAN_FINISHED);
        assertThat(second.get("details").asText()).isEqualTo("{}");
        assertThat(second.get("prev_hash").asText()).isEqualTo(events.get(0).hash());
        assertThat(second.get("hash").asText()).isEqualTo(events.get(1).hash());
        assertThat(array.get(0).get("details").asText()).isEqualTo(events.get(0).details());
    }

    @Test
    void exportFollowsTheQuery() throws Exception {
        StringWriter out = new StringWriter();

        AuditExport.writeJson(store, EventQuery.all().kind("scan."), out);

        assertThat(new ObjectMapper().readTree(out.toString())).extracting(e -> e.get("seq").asLong()).containsExactly(2L);
    }

    @Test
    void emptyHistoryExportsAHeaderOnlyAndAnEmptyArray() throws Exception {
        StringWriter csv = new StringWriter();
        StringWriter json = new StringWriter();

        AuditExport.writeCsv(store, EventQuery.all().afterSeq(2), csv);
        AuditExport.writeJson(store, EventQuery.all().afterSeq(2), json);

        assertThat(csv.toString()).isEqualTo("seq,time,time_ms,actor,kind,subject,outcome,details,prev_hash,hash\r\n");
        assertThat(json.toString()).isEqualTo("[]");
    }
}
