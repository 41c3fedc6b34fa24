package dev.certops.app.common;

import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;

/** The collapsed "Details" under an error message: the full cause chain, never a bare stack trace in the message itself. */
public final class DetailsPane {
    private DetailsPane() { }

    /** A pane shown only while {@code details} has text, collapsed until the operator opens it. */
    public static TitledPane of(StringProperty details) {
        TitledPane pane = new TitledPane("Details", null);
        pane.setExpanded(false);
        pane.visibleProperty().bind(details.isNotEmpty());
        pane.managedProperty().bind(pane.visibleProperty());
        // the text area only once there are details: screens open without an error, and an unused text area's skin,
        // scroll bars and styles were built while the console opened
        if (!details.get().isEmpty()) {
            pane.setContent(text(details));
        } else {
            details.addListener(new ChangeListener<>() {
                @Override
                public void changed(ObservableValue<? extends String> o, String before, String now) {
                    if (now == null || now.isEmpty()) return;
                    details.removeListener(this);
                    pane.setContent(text(details));
                }
            });
        }
        return pane;
    }

    private static TextArea text(StringProperty details) {
        TextArea text = new TextArea();
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(6);
        text.textProperty().bind(details);
        return text;
    }
}
