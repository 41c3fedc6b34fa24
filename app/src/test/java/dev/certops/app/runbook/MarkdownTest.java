package dev.certops.app.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.runbook.RunbookCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTest {

    @Test
    void boldItalicAndCodeBecomeStyledSpans() {
        List<Markdown.Span> spans = Markdown.spans("**Why:** run `certops rollback` *now*");
        assertThat(spans).containsExactly(new Markdown.Span("Why:", true, false, false), new Markdown.Span(" run ", false, false, false),
                new Markdown.Span("certops rollback", false, false, true), new Markdown.Span(" ", false, false, false),
                new Markdown.Span("now", false, true, false));
    }

    @Test
    void bulletsAreBlocksAndIndentedLinesContinueThem() {
        List<Markdown.Block> blocks = Markdown.parse("""
                Intro line
                continues here.
                - *Reachable?* The problem is
                  not the CA.
                - second
                """);
        assertThat(blocks).extracting(Markdown.Block::bullet).containsExactly(false, true, true);
        assertThat(blocks).extracting(Markdown.Block::plain)
                .containsExactly("Intro line continues here.", "Reachable? The problem is not the CA.", "second");
    }

    @Test
    void aLoneAsteriskIsKeptAsWritten() {
        assertThat(Markdown.parse("5 * 3 hosts").get(0).plain()).isEqualTo("5 * 3 hosts");
    }

    @Test
    void everyBuiltinGuideParsesWithoutStrayMarkers() throws Exception {
        for (String name : RunbookCatalog.builtinNames()) {
            String text = RunbookCatalog.builtinText(name).orElseThrow();
            for (Markdown.Block b : Markdown.parse(text)) {
                assertThat(b.plain()).as(name).doesNotContain("**");
            }
        }
    }
}
