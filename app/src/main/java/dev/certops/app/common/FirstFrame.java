package dev.certops.app.common;

import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;

/** Work that waits until a node's window has been laid out and drawn once: what a person sees first comes first. */
public final class FirstFrame {
    private FirstFrame() { }

    /** Runs {@code r} on the FX thread after the first layout pulse of {@code node}'s scene (soon, when its window shows already). */
    public static void after(Node node, Runnable r) {
        Scene now = node.getScene();
        if (now != null && now.getWindow() != null && now.getWindow().isShowing()) {
            Platform.runLater(r);
            return;
        }
        Runnable[] once = new Runnable[1];
        ChangeListener<Scene> onScene = new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Scene> o, Scene before, Scene scene) {
                if (scene == null) return;
                node.sceneProperty().removeListener(this);
                once[0] = () -> {
                    scene.removePostLayoutPulseListener(once[0]);
                    Platform.runLater(r);
                };
                scene.addPostLayoutPulseListener(once[0]);
            }
        };
        if (now != null) onScene.changed(node.sceneProperty(), null, now);
        else node.sceneProperty().addListener(onScene);
    }

    /**
     * Gives {@code node} its tooltip once its window has drawn: a tooltip shows only when the pointer rests on the
     * node, and the first one a process makes loads ~300 classes (a popup window and its styling) that the first
     * frame does not need (issue 22).
     */
    public static void tooltip(Node node, Supplier<Tooltip> tooltip) {
        after(node, () -> {
            Tooltip t = tooltip.get();
            if (node instanceof Control c) c.setTooltip(t);
            else Tooltip.install(node, t);
        });
    }
}
