package dev.certops.app.common;

import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.layout.Region;

/**
 * How every console dialog is shown: over the window it was opened from, in that window's theme (a dark
 * console opens no white dialog at 3 a.m.), and — where pressing the action changes something — with
 * Cancel as the default button, so Enter never acts.
 */
public final class Dialogs {
    private Dialogs() { }

    /** Shows {@code d} over {@code from}'s window with its stylesheets (light or dark), and waits for the answer. */
    public static <T> Optional<T> showOver(Dialog<T> d, Node from) {
        if (from != null && from.getScene() != null) {
            d.initOwner(from.getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(from.getScene().getStylesheets());
        }
        d.getDialogPane().setMinHeight(Region.USE_PREF_SIZE); // long texts wrap to their full height instead of ending in "…"
        return d.showAndWait();
    }

    /** Cancel is the default button and {@code act} is not: Enter cancels, only a click on {@code act} acts. */
    public static void cancelIsTheDefault(Dialog<?> d, ButtonType act) {
        ((Button) d.getDialogPane().lookupButton(act)).setDefaultButton(false);
        ((Button) d.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
    }
}
