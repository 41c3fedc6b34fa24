package dev.certops.app.shell;

import dev.certops.app.budget.BudgetView;
import dev.certops.app.budget.BudgetViewModel;
import dev.certops.app.common.BackgroundExecutor;
import dev.certops.app.estate.EstateView;
import dev.certops.app.estate.EstateViewModel;
import dev.certops.app.history.HistoryView;
import dev.certops.app.history.HistoryViewModel;
import dev.certops.app.runbook.RunViewModel;
import dev.certops.app.runbook.RunbookCatalogView;
import dev.certops.app.runbook.RunbooksViewModel;
import dev.certops.estate.EstateService;
import dev.certops.ratelimit.BucketUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The window's frame: navigation on the left, the current screen, a status bar; keyboard shortcuts. */
public final class ShellView {
    private static final String[] SCREENS = {"Estate", "Budget", "Runbooks", "Deployments", "History", "Settings"};
    private final ShellViewModel vm;
    private final BackgroundExecutor executor;
    private final Supplier<Path> exportChooser;
    private final BorderPane root = new BorderPane();
    private final ToggleGroup group = new ToggleGroup();
    private final Map<String, Node> screens = new LinkedHashMap<>();
    private final Label runningLabel = new Label();
    private EstateViewModel estate;
    private EstateView estateView;
    private RunbooksViewModel runbooks;
    private java.util.function.Consumer<Path> openInEditor = p -> { };
    private Runnable openWorkspace;

    public ShellView(ShellViewModel vm, BackgroundExecutor executor, Supplier<Path> exportChooser) {
        this.vm = vm;
        this.executor = executor;
        this.exportChooser = exportChooser;
        root.getStyleClass().add("shell");
        root.setLeft(navigation());
        root.setBottom(statusBar());
        vm.workspaceReadyProperty().addListener((o, a, b) -> showContent());
        vm.problemProperty().addListener((o, a, b) -> showContent());
        showContent();
        offerResume();
    }

    public Parent root() { return root; }

    public EstateViewModel estate() { return estate; }

    /** Desktop integration (the console sets these; tests leave them): the system editor, and choosing another workspace. */
    public void setDesktop(java.util.function.Consumer<Path> openInEditor, Runnable openWorkspace) {
        this.openInEditor = openInEditor;
        this.openWorkspace = openWorkspace;
    }

    /** Ctrl+1..6 switch screens, F5 scans, Ctrl+F filters the estate. */
    public void installShortcuts(Scene scene) {
        for (int i = 0; i < SCREENS.length; i++) {
            final int n = i;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + (i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> group.getToggles().get(n).setSelected(true));
        }
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> { if (estate != null) estate.scan(); });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            group.getToggles().get(0).setSelected(true);
            if (estateView != null) estateView.focusFilter();
        });
    }

    public void select(String screen) {
        for (var t : group.getToggles()) if (((ToggleButton) t).getText().equals(screen)) t.setSelected(true);
    }

    private VBox navigation() {
        VBox nav = new VBox(4);
        nav.getStyleClass().add("nav");
        nav.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("certops");
        brand.getStyleClass().add("brand");
        nav.getChildren().add(brand);
        for (int i = 0; i < SCREENS.length; i++) {
            ToggleButton b = new ToggleButton(SCREENS[i]);
            b.setId("nav-" + SCREENS[i].toLowerCase());
            b.setToggleGroup(group);
            b.setMaxWidth(Double.MAX_VALUE);
            nav.getChildren().add(b);
        }
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) a.setSelected(true);
            else showContent();
        });
        group.getToggles().get(0).setSelected(true);
        return nav;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(12, status, grow, runningLabel);
        bar.getStyleClass().add("status-bar");
        bar.setPadding(new Insets(4, 10, 4, 10));
        if (executor instanceof dev.certops.app.common.FxBackgroundExecutor fx) {
            runningLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                    () -> fx.runningTitles().isEmpty() ? "idle" : "running: " + String.join(" · ", fx.runningTitles()), fx.runningTitles()));
        }
        return bar;
    }

    private String current() {
        var t = (ToggleButton) group.getSelectedToggle();
        return t == null ? "Estate" : t.getText();
    }

    private void showContent() {
        if (!vm.workspaceReadyProperty().get()) {
            root.setCenter(emptyState());
        } else if (!vm.problemProperty().get().isEmpty()) {
            root.setCenter(configProblem());
        } else {
            root.setCenter(screens.computeIfAbsent(current(), this::build));
        }
    }

    private Node build(String screen) {
        var session = vm.session();
        switch (screen) {
            case "Estate" -> {
                estate = new EstateViewModel(executor, () -> new EstateService(session).scan());
                estateView = new EstateView(estate);
                estate.scan();
                return estateView.root();
            }
            case "Budget" -> {
                BudgetViewModel b = new BudgetViewModel(executor, () -> {
                    List<BucketUsage> all = new ArrayList<>();
                    var budget = session.budget();
                    for (var ca : session.config().cas()) all.addAll(budget.now(ca.id(), false).buckets());
                    return all;
                }, dev.certops.ratelimit.BudgetService.DEFAULT_SAFETY_LINE);
                b.refresh();
                return new BudgetView(b).root();
            }
            case "History" -> {
                try {
                    HistoryViewModel h = new HistoryViewModel(session.history(), executor);
                    h.refresh();
                    return new HistoryView(h, exportChooser).root();
                } catch (Exception e) {
                    return message("History could not be opened: " + e.getMessage(), "Check that " + vm.workspace().historyFile() + " is readable.");
                }
            }
            case "Runbooks" -> {
                return runbooks().<Node>map(r -> new RunbookCatalogView(r).root()).orElseGet(() ->
                        message("The runbooks could not be opened.", "Check that " + vm.workspace().historyFile() + " is readable, then reopen this screen."));
            }
            case "Deployments" -> {
                return deployments();
            }
            default -> {
                var settings = new dev.certops.app.settings.SettingsViewModel(session, executor, host -> {
                    try {
                        return session.connectors().hostKeys(host);
                    } catch (Exception e) {
                        return java.util.Optional.empty();
                    }
                });
                return new dev.certops.app.settings.SettingsView(settings, openInEditor, vm.workspace().configFile(), openWorkspace).root();
            }
        }
    }

    /** Deployments: the last week's deploy events from history, then live ones from the event feed. */
    private Node deployments() {
        var session = vm.session();
        var commands = new dev.certops.app.deploy.DeployCommands(session);
        var d = new dev.certops.app.deploy.DeploymentsViewModel(executor, javafx.application.Platform::runLater, cert -> waves(cert), commands::rollback);
        executor.run("Reading recent deployments", () -> {
            var h = session.history();
            var recent = h.query(dev.certops.history.EventQuery.all().kind("deploy.").since(session.clock().instant().minus(java.time.Duration.ofDays(7))));
            long head = session.historyHealth().headSeq();
            session.closeLater(session.eventFeed().subscribe(head, e -> { if (e.kind().startsWith("deploy.")) javafx.application.Platform.runLater(() -> d.onEvent(e)); }));
            return recent;
        }, recent -> recent.forEach(d::onEvent), t -> d.messageProperty().set("History could not be read: " + dev.certops.app.common.UserMessages.headline(t)
                + " — deployments started here still show live."));
        return new dev.certops.app.deploy.DeploymentsView(d).root();
    }

    private Map<String, Integer> waves(String certificateId) {
        Map<String, Integer> out = new java.util.HashMap<>();
        try {
            vm.session().config().certificate(certificateId).ifPresent(c -> {
                for (int i = 0; i < c.waves().size(); i++) for (String h : c.waves().get(i)) out.put(h, i + 1);
            });
        } catch (Exception e) {
            return out;
        }
        return out;
    }

    /** The runbooks screen's model (kept, so a run in progress survives switching screens). */
    private java.util.Optional<RunbooksViewModel> runbooks() {
        if (runbooks != null) return java.util.Optional.of(runbooks);
        try {
            var session = vm.session();
            var sr = session.runbooks();
            var deploy = new dev.certops.app.deploy.DeployCommands(session);
            runbooks = new RunbooksViewModel(sr.catalog(), sr.engine(), executor, type -> choices(type),
                    () -> new RunViewModel(sr.engine(), executor, javafx.application.Platform::runLater,
                            (cert, host) -> deploy.rollback(cert, host, dev.certops.deploy.DeployListener.NONE).summary()));
            runbooks.refresh();
            return java.util.Optional.of(runbooks);
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }

    private List<String> choices(dev.certops.runbook.ParamSpec.Type type) {
        try {
            var cfg = vm.session().config();
            return switch (type) {
                case CERTIFICATE, CERTIFICATES -> cfg.certificates().stream().map(c -> c.id()).toList();
                case CA -> cfg.cas().stream().map(c -> c.id()).toList();
                default -> List.of();
            };
        } catch (Exception e) {
            return List.of();
        }
    }

    /** On start-up: runs that never finished are offered for resume, above every screen. */
    private void offerResume() {
        if (!vm.workspaceReadyProperty().get() || !vm.problemProperty().get().isEmpty()) return;
        executor.run("Looking for unfinished runs", () -> vm.session().runbooks().engine().unfinishedRuns(), runs -> {
            if (runs.isEmpty()) return;
            Label text = new Label(runs.size() + " runbook run(s) did not finish (" + String.join(", ", runs) + "). Resume to continue exactly where it stopped.");
            text.setWrapText(true);
            Button open = new Button("Open runbooks");
            open.setId("resume-offer-open");
            HBox bar = new HBox(12, text, open);
            bar.setId("resume-offer");
            bar.getStyleClass().add("resume-offer");
            bar.setPadding(new Insets(8, 12, 8, 12));
            bar.setAlignment(Pos.CENTER_LEFT);
            open.setOnAction(e -> {
                root.setTop(null);
                select("Runbooks");
            });
            root.setTop(bar);
        }, t -> { /* the Runbooks screen says what is wrong when it opens */ });
    }

    private static Node message(String title, String text) {
        Label t = new Label(title);
        t.getStyleClass().add("empty-title");
        Label l = new Label(text);
        l.setWrapText(true);
        VBox box = new VBox(12, t, l);
        box.setPadding(new Insets(40));
        box.setMaxWidth(760);
        return box;
    }

    private Node configProblem() {
        Label l = new Label(vm.problemProperty().get() + "\n\nFix certops.yaml, then reload.");
        l.setWrapText(true);
        l.setId("config-problem");
        Button reload = new Button("Reload");
        reload.setOnAction(e -> {
            screens.clear();
            runbooks = null;
            vm.refresh();
        });
        VBox box = new VBox(12, l, reload);
        box.setPadding(new Insets(24));
        return box;
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
