package dev.certops.app.shell;

import dev.certops.app.common.Dialogs;
import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.common.StartupTiming;
import dev.certops.config.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.prefs.Preferences;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** The JavaFX application: one window with the shell (navigation, screens, status bar). */
public final class ConsoleApp extends Application {

    /** Starts the console from a plain classpath (the Launcher is not an Application). */
    public static void launchConsole(String[] args) {
        Rendering.chooseBeforeLaunch(); // software at once where no GPU can answer JavaFX's OpenGL probe
        // the workspace and the Estate's first scan on a second thread while JavaFX starts (ConsoleHeadStart);
        // -Dcertops.noHeadStart=true turns it off, like the commands' head start (for A/B measurements)
        if (!Boolean.getBoolean("certops.noHeadStart")) {
            headStart = ConsoleHeadStart.begin(Workspace.locate(workspaceOption(List.of(args)), System.getenv()), System.getenv());
        }
        Application.launch(ConsoleApp.class, args);
    }

    /** Begun by {@link #launchConsole} before the toolkit starts; taken by the first window that opens its workspace. */
    private static volatile ConsoleHeadStart headStart;

    /** The workspace named on the command line: {@code --workspace DIR} or {@code --workspace=DIR}. */
    static Optional<Path> workspaceOption(List<String> args) {
        for (String a : args) if (a.startsWith("--workspace=")) return Optional.of(Path.of(a.substring("--workspace=".length())));
        if (args.size() == 2 && args.get(0).equals("--workspace")) return Optional.of(Path.of(args.get(1)));
        return Optional.empty();
    }

    @Override
    public void start(Stage stage) {
        StartupTiming.mark("JavaFX started");
        open(stage, Workspace.locate(workspaceOption(getParameters().getRaw()), System.getenv()));
    }

    /** The workspace's model: the one opened while JavaFX started when it is this workspace, else opened now. */
    private static ShellViewModel shellFor(Workspace ws) {
        ConsoleHeadStart head = headStart;
        headStart = null;
        return head != null && head.opened(ws) ? head.shell() : new ShellViewModel(ws);
    }

    private FxBackgroundExecutor executor;

    /** Shows the shell on a workspace (at start-up, and when the operator opens another one from Settings). */
    private void open(Stage stage, Workspace ws) {
        ShellViewModel vm = shellFor(ws);
        StartupTiming.mark("workspace opened");
        if (executor == null) executor = new FxBackgroundExecutor(); // one pool for the whole app, whichever workspace is open
        ShellView shell = new ShellView(vm, executor, () -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Export history (CSV or JSON)");
            fc.setInitialFileName("certops-history.csv");
            var f = fc.showSaveDialog(stage);
            return f == null ? null : f.toPath();
        });
        shell.setDesktop(file -> getHostServices().showDocument(file.toUri().toString()), () -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("Open a workspace folder (an empty or new folder becomes a new workspace)");
            if (!executor.runningTitles().isEmpty()) {
                // closing this workspace's session would pull history and leases from under running work
                Alert busy = new Alert(Alert.AlertType.INFORMATION,
                        "Still running: " + String.join(", ", executor.runningTitles()) + ".\n\nOpen another workspace when it has finished.");
                busy.setHeaderText("This workspace is busy");
                busy.setTitle("Workspace busy");
                Dialogs.showOver(busy, stage.getScene().getRoot());
                return;
            }
            var dir = dc.showDialog(stage);
            if (dir == null) return;
            vm.close();
            open(stage, new Workspace(dir.toPath()));
        });
        StartupTiming.mark("screens built");
        Scene scene = shell.scene();
        Theme.apply(scene, Theme.darkPreferred(System.getenv()), false);
        stage.setTitle("certops — " + ws.root());
        stage.setScene(scene);
        StartupTiming.watchFirstFrame(scene);
        // the size the operator last left the window at, if it still fits this screen
        Preferences prefs = Preferences.userNodeForPackage(ConsoleApp.class);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = prefs.getDouble("window.width", 0);
        double h = prefs.getDouble("window.height", 0);
        if (w >= 800 && h >= 500 && w <= screen.getWidth() && h <= screen.getHeight()) {
            stage.setWidth(w);
            stage.setHeight(h);
        }
        stage.setMinWidth(800);
        stage.setMinHeight(500);
        stage.setOnCloseRequest(e -> {
            prefs.putDouble("window.width", stage.getWidth());
            prefs.putDouble("window.height", stage.getHeight());
            vm.close();
            Platform.exit();
        });
        stage.show();
        StartupTiming.mark("window shown (before its first frame)");
    }
}
