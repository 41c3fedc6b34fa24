package dev.certops.app.runbook;

import java.util.ArrayList;
import java.util.List;

/**
 * The small Markdown subset runbook guides use — paragraphs, {@code - } bullets (nested by indent,
 * continued on indented lines), {@code **bold**}, {@code *italic*} and {@code `code`} — parsed into
 * blocks of styled spans that the view renders as a TextFlow. Anything else is shown as written.
 */
public final class Markdown {
    private Markdown() { }

    /** A run of text with one style. */
    public record Span(String text, boolean bold, boolean italic, boolean code) { }

    /** A paragraph ({@code level == 0}, not a bullet) or a bullet at a nesting level (1 = top). */
    public record Block(boolean bullet, int level, List<Span> spans) {
        public Block { spans = List.copyOf(spans); }

        /** The text without styling (tests, accessibility). */
        public String plain() {
            StringBuilder b = new StringBuilder();
            spans.forEach(s -> b.append(s.text()));
            return b.toString();
        }
    }

    public static List<Block> parse(String markdown) {
        List<Block> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean bullet = false;
        int level = 0;
        int bulletIndent = 0;
        for (String raw : (markdown == null ? "" : markdown).split("\n", -1)) {
            String line = raw.stripTrailing();
            int indent = line.length() - line.stripLeading().length();
            String body = line.strip();
            if (body.isEmpty()) {
                flush(out, text, bullet, level);
                bullet = false;
                continue;
            }
            if (body.startsWith("- ") || body.startsWith("* ") && !body.startsWith("**")) {
                flush(out, text, bullet, level);
                bullet = true;
                bulletIndent = indent;
                level = 1 + indent / 2;
                text.append(body.substring(2).strip());
            } else if (bullet && indent > bulletIndent) {
                text.append(' ').append(body);
            } else {
                if (bullet) flush(out, text, true, level);
                bullet = false;
                if (text.length() > 0) text.append(' ');
                text.append(body);
            }
        }
        flush(out, text, bullet, level);
        return out;
    }

    private static void flush(List<Block> out, StringBuilder text, boolean bullet, int level) {
        if (text.length() == 0) return;
        out.add(new Block(bullet, bullet ? level : 0, spans(text.toString())));
        text.setLength(0);
    }

    /** Splits inline text into spans: `code` first (nothing inside is styled), then **bold** and *italic*. */
    static List<Span> spans(String s) {
        List<Span> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean bold = false;
        boolean italic = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '`') {
                int end = s.indexOf('`', i + 1);
                if (end > i) {
                    emit(out, cur, bold, italic, false);
                    out.add(new Span(s.substring(i + 1, end), bold, italic, true));
                    i = end + 1;
                    continue;
                }
            }
            if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) == '*' && (bold || s.indexOf("**", i + 2) > 0)) {
                emit(out, cur, bold, italic, false);
                bold = !bold;
                i += 2;
                continue;
            }
            if (c == '*' && (italic || s.indexOf('*', i + 1) > 0)) {
                emit(out, cur, bold, italic, false);
                italic = !italic;
                i++;
                continue;
            }
            cur.append(c);
            i++;
        }
        emit(out, cur, bold, italic, false);
        return out;
    }

    private static void emit(List<Span> out, StringBuilder cur, boolean bold, boolean italic, boolean code) {
        if (cur.length() == 0) return;
        out.add(new Span(cur.toString(), bold, italic, code));
        cur.setLength(0);
    }
}
