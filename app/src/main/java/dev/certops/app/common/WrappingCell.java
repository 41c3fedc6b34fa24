package dev.certops.app.common;

import javafx.scene.control.Control;
import javafx.scene.control.TableCell;
import javafx.scene.text.Text;

/**
 * A table cell whose text wraps to its column's width: the row grows a line rather than ending in "…" (a runbook's
 * title, a certificate's reason). The wrapping follows the column's width, known before the row is laid out.
 */
public final class WrappingCell<S> extends TableCell<S, String> {
    private final Text text = new Text();

    public WrappingCell() {
        text.getStyleClass().add("wrapping-cell-text");
        tableColumnProperty().addListener((o, a, c) -> {
            text.wrappingWidthProperty().unbind();
            if (c != null) text.wrappingWidthProperty().bind(c.widthProperty().subtract(14));
        });
        text.fillProperty().bind(textFillProperty());
        text.fontProperty().bind(fontProperty());
        setPrefHeight(Control.USE_COMPUTED_SIZE);
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        text.setText(empty || item == null ? "" : item);
        setText(null);
        setGraphic(empty || item == null ? null : text);
    }
}
