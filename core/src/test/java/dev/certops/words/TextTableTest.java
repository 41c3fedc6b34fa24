package dev.certops.words;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void columnsSizeToTheirWidestCell() {
        String t = new TextTable().column("CERTIFICATE").right("DAYS").column("SINCE").column("HOSTS")
                .row("api", 4, "2026-12-06 05:35:12 UTC", "web1, web2")
                .row("a-much-longer-name", 120, "-", "web3")
                .render();
        assertThat(t).isEqualTo("""
                CERTIFICATE         DAYS  SINCE                    HOSTS
                api                    4  2026-12-06 05:35:12 UTC  web1, web2
                a-much-longer-name   120  -                        web3
                """);
    }

    @Test
    void aCellPastItsColumnsLimitEndsInAnEllipsis() {
        String t = new TextTable().column("SUBJECT", 10).column("KIND").row("run-20261206-043512-primary", "runbook.step").render();
        assertThat(t).isEqualTo("""
                SUBJECT     KIND
                run-20261…  runbook.step
                """);
        assertThat(TextTable.truncate("short", 10)).isEqualTo("short");
    }

    @Test
    void nullCellsReadAsADashAndMissingOnesAsEmpty() {
        assertThat(new TextTable().column("A").column("B").row((Object) null).render()).isEqualTo("A  B\n-\n");
    }
}
