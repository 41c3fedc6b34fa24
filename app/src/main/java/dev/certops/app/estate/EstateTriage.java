package dev.certops.app.estate;

import dev.certops.acme.CaHealth;
import dev.certops.app.common.FirstFrame;
import java.time.Instant;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * What the Estate shows above its table, so the urgent thing is seen first: one count tile per status
 * (worst first; a click filters the table to it), the scan's time and age, and every CA's health.
 */
final class EstateTriage {
    private final EstateViewModel vm;

    EstateTriage(EstateViewModel vm) { this.vm = vm; }

    Node build() {
        VBox box = new VBox(4, tiles(), cas());
        box.setPadding(new Insets(2, 10, 4, 10));
        return box;
    }

    private Node tiles() {
        HBox bar = new HBox(6);
        bar.setId("estate-tiles");
        bar.setAlignment(Pos.CENTER_LEFT);
        ToggleGroup group = new ToggleGroup();
        for (String tile : EstateViewModel.TILES) {
            ToggleButton b = new ToggleButton();
            b.setId("tile-" + tile);
            b.setToggleGroup(group);
            b.getStyleClass().addAll("tile", "tile-" + tile);
            Runnable text = () -> {
                int n = vm.counts().getOrDefault(tile, 0);
                b.setText(n + " " + tile);
                b.getStyleClass().remove("tile-zero");
                if (n == 0) b.getStyleClass().add("tile-zero");
            };
            text.run();
            vm.counts().addListener((MapChangeListener<String, Integer>) c -> text.run());
            b.setOnAction(e -> vm.filterStatusProperty().set(b.isSelected() ? tile : EstateViewModel.ALL));
            bar.getChildren().add(b);
        }
        // the Status filter and the tiles are one choice
        vm.filterStatusProperty().addListener((o, a, v) -> group.getToggles().forEach(t -> t.setSelected(((ToggleButton) t).getId().equals("tile-" + v))));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label scanned = new Label();
        scanned.setId("estate-scanned");
        scanned.getStyleClass().add("scanned");
        Runnable age = () -> {
            String t = vm.scannedText(Instant.now());
            scanned.setText(t);
            scanned.getStyleClass().remove("scan-stale");
            if (t.contains("stale") || vm.lastScanProperty().get() == null) scanned.getStyleClass().add("scan-stale");
        };
        age.run();
        vm.lastScanProperty().addListener((o, a, b) -> age.run());
        // the age counts on from the first frame: the line shows the scan's time already, and an animation (its
        // timeline, key frames, the toolkit's timer) set up before the window has drawn delays what it draws
        FirstFrame.after(scanned, () -> {
            Timeline tick = new Timeline(new KeyFrame(Duration.seconds(1), e -> age.run()));
            tick.setCycleCount(Timeline.INDEFINITE);
            tick.play();
        });
        bar.getChildren().addAll(grow, scanned);
        return bar;
    }

    private Node cas() {
        // a VBox, not a FlowPane: a FlowPane is as wide as its widest line, and a down CA's line is long
        VBox strip = new VBox(2);
        strip.setId("estate-cas");
        Label title = new Label("Certificate authorities");
        title.getStyleClass().add("ca-title");
        // one line per CA from the start ("asking…" until the probe answers): the table below never jumps
        Runnable fill = () -> {
            strip.getChildren().setAll(title);
            if (vm.caNames().isEmpty() && vm.caHealth().isEmpty()) {
                Label none = new Label("No CA in certops.yaml: add one under cas: to issue and renew.");
                none.getStyleClass().add("hint");
                strip.getChildren().add(none);
            }
            for (String ca : vm.caNames()) {
                CaHealth.Entry e = vm.caHealth().stream().filter(x -> x.ca().equals(ca)).findFirst().orElse(null);
                Label l = new Label(e == null ? "● " + ca + " — asking its directory…" : "● " + e.line());
                l.setId("ca-" + ca);
                l.setMinWidth(0);
                l.setWrapText(true); // the whole reason a CA is down, on a second line if need be
                FirstFrame.tooltip(l, () -> new Tooltip(l.getText()));
                l.getStyleClass().addAll("ca-health", e == null ? "hint" : "ca-" + e.state().label());
                strip.getChildren().add(l);
            }
        };
        fill.run();
        vm.caHealth().addListener((ListChangeListener<CaHealth.Entry>) c -> fill.run());
        vm.caNames().addListener((ListChangeListener<String>) c -> fill.run());
        return strip;
    }
}
