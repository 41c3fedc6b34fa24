package dev.certops.app.common;

import javafx.beans.property.StringProperty;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;

/** The collapsed "Details" under an error message: the full cause chain, never a bare stack trace in the message itself. */
public final class DetailsPane {
    private DetailsPane() { }

    /** A pane shown only while {@code details} has text, collapsed until the operator opens it. */
    public static TitledPane of(StringProperty details) {
        TextArea text = new TextArea();
        text.setEditable(false);
        text.setWrapText(true);
        text.setPrefRowCount(6);
        text.textProperty().bind(details);
        TitledPane pane = new TitledPane("Details", text);
        pane.setExpanded(false);
        pane.visibleProperty().bind(details.isNotEmpty());
        pane.managedProperty().bind(pane.visibleProperty());
        return pane;
    }
}
