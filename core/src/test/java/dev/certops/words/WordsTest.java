package dev.certops.words;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void durationShowsTheTwoLargestUnits() {
        assertThat(Words.duration(Duration.ofDays(3).plusHours(4).plusMinutes(9))).isEqualTo("3 d 4 h");
        assertThat(Words.duration(Duration.ofSeconds(259201))).isEqualTo("3 d 0 h");
        assertThat(Words.duration(Duration.ofHours(27).plusMinutes(59))).isEqualTo("1 d 3 h");
        assertThat(Words.duration(Duration.ofMinutes(312).plusSeconds(5))).isEqualTo("5 h 12 min");
        assertThat(Words.duration(Duration.ofSeconds(2403))).isEqualTo("40 min 3 s");
        assertThat(Words.duration(Duration.ofMillis(41_900))).isEqualTo("41 s");
    }

    @Test
    void aNegativeDurationReadsAsZero() {
        assertThat(Words.duration(Duration.ofSeconds(-5))).isEqualTo("0 s");
    }

    @Test
    void elapsedKeepsSubSecondDetailOnlyWhereItMatters() {
        assertThat(Words.elapsed(Duration.ofMillis(133))).isEqualTo("133 ms");
        assertThat(Words.elapsed(Duration.ofMillis(3_912))).isEqualTo("3.9 s");
        assertThat(Words.elapsed(Duration.ofMillis(41_200))).isEqualTo("41 s");
        assertThat(Words.elapsed(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
    }

    @Test
    void roughlyIsTheStatusBarsCoarseForm() {
        assertThat(Words.roughly(Duration.ofHours(36))).isEqualTo("36 h");
        assertThat(Words.roughly(Duration.ofDays(3).plusHours(5))).isEqualTo("3 d");
        assertThat(Words.roughly(Duration.ofMinutes(40))).isEqualTo("40 min");
    }

    @Test
    void instantsReadAsLocalTimeToTheSecondAndJsonAsUtcIso() {
        Instant at = Instant.parse("2030-04-06T11:14:12.333333334Z");
        assertThat(Words.instant(at, ZoneId.of("UTC"))).isEqualTo("2030-04-06 11:14:12 UTC");
        assertThat(Words.instant(at, ZoneId.of("Europe/Berlin"))).isEqualTo("2030-04-06 13:14:12 CEST");
        assertThat(Words.minute(at, ZoneId.of("UTC"))).isEqualTo("2030-04-06 11:14");
        assertThat(Words.iso(at)).isEqualTo("2030-04-06T11:14:12Z");
        assertThat(Words.instant(Optional.empty())).isEqualTo("never");
    }

    @Test
    void relativeSaysAheadOrAgo() {
        Instant now = Instant.parse("2030-04-06T11:00:00Z");
        assertThat(Words.relative(now.plus(Duration.ofHours(76)), now)).isEqualTo("in 3 d 4 h");
        assertThat(Words.relative(now.minusSeconds(41), now)).isEqualTo("41 s ago");
        assertThat(Words.relative(now, now)).isEqualTo("now");
    }

    @Test
    void listsReadAsWordsNotJavaSyntax() {
        assertThat(Words.list(List.of("web1", "web2"))).isEqualTo("web1, web2");
        assertThat(Words.list(List.of())).isEqualTo("none");
        assertThat(Words.and(List.of("web1", "web2", "web3"))).isEqualTo("web1, web2 and web3");
        assertThat(Words.named(List.of("web2"), "host")).isEqualTo("host web2");
        assertThat(Words.named(List.of("web1", "web2"), "host")).isEqualTo("hosts web1 and web2");
        assertThat(Words.named(List.of(), "host")).isEqualTo("no host");
    }

    @Test
    void countsUseProperPlurals() {
        assertThat(Words.count(0, "host")).isEqualTo("0 hosts");
        assertThat(Words.count(1, "host")).isEqualTo("1 host");
        assertThat(Words.count(2, "certificate")).isEqualTo("2 certificates");
        assertThat(Words.count(3, "entry")).isEqualTo("3 entries");
        assertThat(Words.count(2, "pass")).isEqualTo("2 passes");
        assertThat(Words.count(1, "day")).isEqualTo("1 day");
        assertThat(Words.count(5, "day")).isEqualTo("5 days");
        assertThat(Words.counted(List.of("web1", "web2"), "host")).isEqualTo("2 hosts: web1, web2");
        assertThat(Words.counted(List.of(), "host")).isEqualTo("0 hosts");
    }

    @Test
    void markdownReadsAsPlainText() {
        assertThat(Words.plain("**Why:** the primary is down; run `nginx -t` (see [the docs](https://example.com)).\n- *one* item"))
                .isEqualTo("Why: the primary is down; run nginx -t (see the docs (https://example.com)).\n- one item");
        assertThat(Words.plain("## Steps\n2 * 3 = 6")).isEqualTo("Steps\n2 * 3 = 6");
    }
}
