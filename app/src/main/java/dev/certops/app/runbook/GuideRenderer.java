package dev.certops.app.runbook;

import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/** Renders {@link Markdown} blocks as TextFlows (bold, italic, code spans; bullets indented). */
final class GuideRenderer {
    private GuideRenderer() { }

    static List<Node> render(String markdown) {
        return Markdown.parse(markdown).stream().map(GuideRenderer::block).toList();
    }

    private static Node block(Markdown.Block b) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add(b.bullet() ? "guide-bullet" : "guide-paragraph");
        if (b.bullet()) {
            flow.setPadding(new Insets(0, 0, 0, 18 * b.level()));
            flow.getChildren().add(styled("•  ", "guide-text"));
        }
        for (Markdown.Span s : b.spans()) {
            Text t = styled(s.text(), s.code() ? "guide-code" : "guide-text");
            if (s.bold()) t.getStyleClass().add("guide-bold");
            if (s.italic()) t.getStyleClass().add("guide-italic");
            flow.getChildren().add(t);
        }
        return flow;
    }

    private static Text styled(String text, String style) {
        Text t = new Text(text);
        t.getStyleClass().add(style);
        return t;
    }
}
