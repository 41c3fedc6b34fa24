package dev.certops.app.shell;

import dev.certops.acme.CaHealth;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.estate.CertificateView;
import dev.certops.words.Words;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * One banner above every screen with the most urgent condition ({@link Incidents}) and the button that
 * handles it in the console; the other conditions follow in one smaller line. Hidden when all is well.
 */
final class IncidentBanner {
    private final HBox root = new HBox(12);
    private final Label text = new Label();
    private final Label more = new Label();
    private final Button act = new Button();
    private final EstateViewModel estate;
    private final ObservableStringValue renewWarning;
    private final Consumer<Incidents.Incident> handler;
    private static final double HEIGHT = 76;
    private List<Incidents.Incident> current = List.of();
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper("");

    IncidentBanner(EstateViewModel estate, ObservableStringValue renewWarning, Consumer<Incidents.Incident> handler) {
        this.estate = estate;
        this.renewWarning = renewWarning;
        this.handler = handler;
        root.setId("incident-banner");
        root.getStyleClass().add("incident-banner");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(6, 12, 6, 12));
        // one height whatever it says: nothing on the screen below jumps when an incident appears or clears
        root.setMinHeight(HEIGHT);
        root.setPrefHeight(HEIGHT);
        root.setMaxHeight(HEIGHT);
        text.setId("incident-text");
        text.setWrapText(true);
        more.setId("incident-more");
        more.getStyleClass().add("incident-more");
        more.setWrapText(true);
        act.setId("incident-action");
        act.setMinWidth(Region.USE_PREF_SIZE);
        act.setOnAction(e -> { if (!current.isEmpty()) handler.accept(current.get(0)); });
        VBox words = new VBox(2, text, more);
        words.setMinWidth(0);
        text.setMinWidth(0);
        more.setMinWidth(0);
        HBox.setHgrow(words, Priority.ALWAYS);
        root.getChildren().addAll(words, act);
        estate.allRows().addListener((ListChangeListener<CertificateView>) c -> update());
        estate.caHealth().addListener((ListChangeListener<CaHealth.Entry>) c -> update());
        renewWarning.addListener((o, a, b) -> update());
        estate.lastScanProperty().addListener((o, a, b) -> update());
        update();
    }

    HBox root() { return root; }

    /** The most urgent condition in one line (the status bar's), empty when all is well. */
    ReadOnlyStringProperty headline() { return headline.getReadOnlyProperty(); }

    /** The ranked conditions now shown (the first is the banner's). */
    List<Incidents.Incident> current() { return current; }

    private void update() {
        current = Incidents.rank(estate.worstFirst(), estate.caHealth(), renewWarning.get());
        headline.set(current.isEmpty() ? "" : current.get(0).text() + (current.size() > 1 ? " (+" + (current.size() - 1) + " more)" : ""));
        root.getStyleClass().removeAll("incident-warning", "incident-clear");
        if (current.isEmpty()) {
            root.getStyleClass().add("incident-clear");
            text.setText(estate.lastScanProperty().get() == null ? "Reading the estate and asking the CAs…"
                    : "All clear: " + Words.count(estate.allRows().size(), "certificate") + " ok"
                    + (estate.caHealth().isEmpty() ? "" : ", every CA answers") + ".");
            act.setVisible(false);
            more.setVisible(false);
            more.setManaged(false);
            return;
        }
        act.setVisible(true);
        Incidents.Incident first = current.get(0);
        text.setText(first.text());
        act.setText(first.button());
        if (!first.severe()) root.getStyleClass().add("incident-warning");
        List<String> rest = current.subList(1, current.size()).stream().map(Incidents.Incident::brief).toList();
        more.setText(rest.isEmpty() ? "" : "Also: " + String.join("  ·  ", rest));
        more.setVisible(current.size() > 1);
        more.setManaged(current.size() > 1);
    }
}
