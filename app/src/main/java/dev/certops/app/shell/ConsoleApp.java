package dev.certops.app.shell;

import dev.certops.config.Workspace;
import java.nio.file.Path;
import java.util.Optional;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The JavaFX application: one window with the shell (navigation, screens, status bar). */
public final class ConsoleApp extends Application {

    /** Starts the console from a plain classpath (the Launcher is not an Application). */
    public static void launchConsole(String[] args) {
        Application.launch(ConsoleApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        Optional<Path> option = Optional.empty();
        var named = getParameters().getNamed();
        var raw = getParameters().getRaw();
        if (named.containsKey("workspace")) option = Optional.of(Path.of(named.get("workspace")));
        else if (raw.size() == 2 && raw.get(0).equals("--workspace")) option = Optional.of(Path.of(raw.get(1)));
        Workspace ws = Workspace.locate(option, System.getenv());
        ShellView shell = new ShellView(new ShellViewModel(ws));
        Scene scene = new Scene(shell.root(), 1280, 800);
        scene.getStylesheets().add(ConsoleApp.class.getResource("/dev/certops/app/certops.css").toExternalForm());
        stage.setTitle("certops — " + ws.root());
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> Platform.exit());
        stage.show();
    }
}
