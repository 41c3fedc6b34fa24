package dev.certops.app.shell;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The window's frame: navigation on the left, the current screen, a status bar. */
public final class ShellView {
    private static final String[] SCREENS = {"Estate", "Budget", "Runbooks", "Deployments", "History", "Settings"};
    private final ShellViewModel vm;
    private final BorderPane root = new BorderPane();

    public ShellView(ShellViewModel vm) {
        this.vm = vm;
        root.getStyleClass().add("shell");
        root.setLeft(navigation());
        root.setBottom(statusBar());
        vm.workspaceReadyProperty().addListener((o, a, b) -> showContent());
        vm.problemProperty().addListener((o, a, b) -> showContent());
        showContent();
    }

    public Parent root() { return root; }

    private VBox navigation() {
        VBox nav = new VBox(4);
        nav.getStyleClass().add("nav");
        nav.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("certops");
        brand.getStyleClass().add("brand");
        nav.getChildren().add(brand);
        ToggleGroup group = new ToggleGroup();
        for (String s : SCREENS) {
            ToggleButton b = new ToggleButton(s);
            b.setId("nav-" + s.toLowerCase());
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            nav.getChildren().add(b);
        }
        group.getToggles().get(0).setSelected(true);
        return nav;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        HBox bar = new HBox(status);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 10, 4, 10));
        return bar;
    }

    private void showContent() {
        if (!vm.workspaceReadyProperty().get()) {
            root.setCenter(emptyState());
        } else if (!vm.problemProperty().get().isEmpty()) {
            Label l = new Label(vm.problemProperty().get() + "\n\nFix certops.yaml, then reload.");
            l.setWrapText(true);
            l.setId("config-problem");
            Button reload = new Button("Reload");
            reload.setOnAction(e -> vm.refresh());
            VBox box = new VBox(12, l, reload);
            box.setPadding(new Insets(24));
            root.setCenter(box);
        } else {
            Label l = new Label("The estate view arrives with the console issue.");
            root.setCenter(new VBox(l));
        }
    }

    private VBox emptyState() {
        Label title = new Label("No workspace yet");
        title.getStyleClass().add("empty-title");
        Label text = new Label("A workspace is a folder with certops.yaml (your CAs, hosts and certificates), the history and the secrets.\n"
                + "Create one at " + vm.workspace().root() + " and edit certops.yaml, or start with --workspace DIR.");
        text.setWrapText(true);
        Button create = new Button("Create workspace");
        create.setId("create-workspace");
        create.setDefaultButton(true);
        create.setOnAction(e -> vm.createWorkspace());
        VBox box = new VBox(14, title, text, create);
        box.setAlignment(Pos.CENTER_LEFT);
        box.setPadding(new Insets(40));
        box.setMaxWidth(720);
        return box;
    }
}
