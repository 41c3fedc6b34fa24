package dev.certops.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming paths an issuance reads and writes its records with must say exactly what the object mapper says:
 * a version.json written by one is read by the other, and records written before this path existed still read.
 */
class JsonWithoutMapperTest {

    private static Map<String, Object> versionMeta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("certificate", "www");
        m.put("version", 7);
        m.put("ca", "primary");
        m.put("staging", false);
        m.put("serial", "0a1b2c");
        m.put("notAfter", "2027-03-01T00:00:00Z");
        m.put("seq", 12_345_678_901L);
        m.put("ratio", 0.25);
        m.put("names", List.of("www.example.com", "example.com"));
        m.put("anchor", Map.of("hash", "ab\"cd\\ef\u00e9\n"));
        m.put("none", null);
        return m;
    }

    @Test
    void plainValuesAreWrittenAsTheMapperWritesThem() throws Exception {
        Map<String, Object> m = versionMeta();
        assertThat(Json.plain(m)).isEqualTo(Json.mapper().writeValueAsString(m));
        assertThat(Json.plainIndented(m)).isEqualTo(Json.indented().writeValueAsString(m));
    }

    @Test
    void valuesThatAreNotPlainAreHandedToTheMapper() {
        Map<String, Object> m = Map.of("at", Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(Json.plain(m)).isEqualTo("{\"at\":\"2026-12-06T10:00:00Z\"}");
    }

    @Test
    void readPlainGivesWhatTheMapperReads() throws Exception {
        String json = Json.plainIndented(versionMeta());
        assertThat(Json.readPlain(json)).isEqualTo(Json.mapper().readValue(json, Object.class));
        assertThat(Json.plainIndented(Json.readPlain(json))).isEqualTo(json);
    }

    @Test
    void readPlainRefusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> Json.readPlain("")).isInstanceOf(IOException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Json.readPlain("{} {}")).isInstanceOf(IOException.class).hasMessageContaining("more than one");
        assertThatThrownBy(() -> Json.readPlain("{\"a\": ")).isInstanceOf(IOException.class);
    }

    @Test
    void flatReadsScalarsAsTextAndArraysOfScalarsAndSkipsTheRest() throws Exception {
        Json.Flat f = Json.flat("{\"ca\":\"primary\",\"staging\":true,\"retryAfter\":30,\"names\":[\"a.example\",{\"x\":1},[2],\"b.example\",null],"
                + "\"nested\":{\"ca\":\"not this\"},\"gone\":null,\"after\":\"kept\"}");
        assertThat(f.text("ca")).contains("primary");
        assertThat(f.bool("staging")).isTrue();
        assertThat(f.bool("ca")).isFalse();
        assertThat(f.text("retryAfter")).contains("30");
        assertThat(f.array("names")).contains(List.of("a.example", "b.example"));
        assertThat(f.text("nested")).isEmpty();
        assertThat(f.has("gone")).isFalse();
        assertThat(f.has("names")).isTrue();
        assertThat(f.text("missing", "otherwise")).isEqualTo("otherwise");
        assertThat(f.text("after")).contains("kept");
    }

    @Test
    void flatOfSomethingThatIsNotAnObjectIsEmptyAndOfBrokenJsonIsAnError() throws Exception {
        assertThat(Json.flat("[1,2]").scalars()).isEmpty();
        assertThat(Json.flat("\"text\"").has("text")).isFalse();
        assertThatThrownBy(() -> Json.flat("{\"ca\": ")).isInstanceOf(IOException.class);
    }
}
