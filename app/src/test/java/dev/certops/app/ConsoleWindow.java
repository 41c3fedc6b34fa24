package dev.certops.app;

import dev.certops.app.common.FxBackgroundExecutor;
import dev.certops.app.shell.ShellView;
import dev.certops.app.shell.ShellViewModel;
import dev.certops.config.Workspace;
import java.nio.file.Path;
import javafx.stage.Stage;

/**
 * The console as the TestFX tests open it: the shell on a workspace in TestFX's stage, with its real background
 * executor and the scene the app uses (stylesheet, shortcuts); History exports go to {@code exportDir/export.csv}.
 * Open it in a {@code @Start} method, close it in {@code @AfterEach}.
 */
public final class ConsoleWindow implements AutoCloseable {
    private final ShellViewModel vm;
    private final ShellView shell;
    private final Stage stage;

    private ConsoleWindow(ShellViewModel vm, ShellView shell, Stage stage) {
        this.vm = vm;
        this.shell = shell;
        this.stage = stage;
    }

    public static ConsoleWindow open(Stage stage, Workspace workspace, Path exportDir) {
        ShellViewModel vm = new ShellViewModel(workspace);
        ShellView shell = new ShellView(vm, new FxBackgroundExecutor(), () -> exportDir.resolve("export.csv"));
        stage.setScene(shell.scene());
        stage.show();
        return new ConsoleWindow(vm, shell, stage);
    }

    public ShellViewModel vm() { return vm; }
    public ShellView shell() { return shell; }
    public Stage stage() { return stage; }

    /** Closes the workspace's session (history, leases, team feed). */
    @Override
    public void close() { vm.close(); }
}
