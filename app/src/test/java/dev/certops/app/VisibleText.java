package dev.certops.app;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;

/**
 * Every text a person can read on a screen (labels, buttons, cells, prompts, tooltips, column headers,
 * every row of a table) and what internal text looks like: a Java Optional, an exception's name, a
 * record's toString ({@code =} inside brackets), a nanosecond timestamp, command-line syntax, a Java class name.
 */
public final class VisibleText {
    /** What must never reach a person, each with why. */
    public static final List<Rule> RULES = List.of(
            new Rule("a Java Optional", Pattern.compile("Optional\\[|Optional\\.empty")),
            new Rule("an exception's name", Pattern.compile("[A-Za-z]*Exception\\b")),
            new Rule("a record's toString (= inside [...])", Pattern.compile("\\[[^\\]\\n]*=[^\\]\\n]*\\]")),
            new Rule("a timestamp with sub-second digits", Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3,}")),
            new Rule("command-line syntax", Pattern.compile("(^|[\\s(\"'`])--[a-z][a-z-]+\\b|\\./certops\\b|`certops |\\bcertops [a-z]+ [a-z-]+ --")),
            new Rule("a test marker", Pattern.compile("@@certops")),
            new Rule("a Java class name", Pattern.compile("\\b(?:java|javax|javafx|dev\\.certops|com\\.fasterxml|com\\.jcraft|org\\.[a-z]+)(?:\\.[a-z0-9_]+)*\\.[A-Z]\\w*|\\$\\$Lambda")),
            new Rule("an object's default toString", Pattern.compile("\\b[A-Z]\\w+@[0-9a-f]{5,}\\b")));

    public record Rule(String what, Pattern pattern) { }

    /** A text that breaks a rule, and where it was seen. */
    public record Finding(String rule, String text, String node) {
        @Override
        public String toString() { return rule + " in " + node + ": " + text; }
    }

    private VisibleText() { }

    /** Every visible text under {@code root}, with the node it was read from. */
    public static List<String[]> of(Node root) {
        List<String[]> out = new ArrayList<>();
        walk(root, out);
        return out;
    }

    /** The rules {@code text} breaks (what each is), none for text a person may read. */
    public static List<String> broken(String text) {
        return RULES.stream().filter(r -> r.pattern().matcher(text).find()).map(Rule::what).toList();
    }

    /** What breaks a rule under {@code root}. */
    public static List<Finding> findings(Node root) {
        List<Finding> out = new ArrayList<>();
        for (String[] t : of(root)) {
            for (Rule r : RULES) if (r.pattern().matcher(t[1]).find()) out.add(new Finding(r.what(), t[1], t[0]));
        }
        return out;
    }

    /** Labels under {@code root} drawn shorter than their text (ending in "…": they do not fit), each as its text. Call on the FX thread. */
    public static List<String> cutShort(Node root) {
        List<String> out = new ArrayList<>();
        cut(root, out);
        return out;
    }

    private static void cut(Node n, List<String> out) {
        if (!n.isVisible()) return;
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()
                && l.lookup(".text") instanceof Text t && !t.getText().equals(l.getText())) out.add(l.getText());
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) cut(c, out);
    }

    private static void walk(Node n, List<String[]> out) {
        if (n == null || !n.isVisible()) return;
        String where = n.getClass().getSimpleName() + (n.getId() == null ? "" : "#" + n.getId());
        if (n instanceof Labeled l) {
            add(out, where, l.getText());
            tooltip(out, where, l.getTooltip());
        }
        if (n instanceof Text t) add(out, where, t.getText());
        if (n instanceof TextInputControl t) {
            add(out, where, t.getText());
            add(out, where, t.getPromptText());
        }
        if (n instanceof TableView<?> t) {
            for (TableColumn<?, ?> c : t.getColumns()) add(out, where + " column", c.getText());
            for (Object item : t.getItems()) {
                for (TableColumn<?, ?> c : t.getColumns()) {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Object v = ((TableColumn) c).getCellData(item);
                    // text cells as their data; other cells (gauges, status marks) are read as rendered, from their labels
                    if (v instanceof String text) add(out, where + " cell " + c.getText(), text);
                }
            }
            if (t.getPlaceholder() != null) walk(t.getPlaceholder(), out);
        }
        if (n instanceof javafx.scene.control.TitledPane tp && !tp.isExpanded()) {
            add(out, where, tp.getText()); // a collapsed details section: only its title is read
            return;
        }
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) walk(c, out);
        if (n instanceof javafx.scene.control.ScrollPane sp) walk(sp.getContent(), out);
        if (n instanceof javafx.scene.control.SplitPane sp) for (Node c : sp.getItems()) walk(c, out);
    }

    private static void tooltip(List<String[]> out, String where, Tooltip t) {
        if (t != null) add(out, where + " tooltip", t.getText());
    }

    private static void add(List<String[]> out, String where, String text) {
        if (text != null && !text.isBlank()) out.add(new String[] {where, text});
    }
}
