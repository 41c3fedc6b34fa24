package dev.certops.app;

import dev.certops.app.shell.ConsoleApp;
import dev.certops.cli.Cli;
import dev.certops.cli.HeadlessMain;

/**
 * The one entry point of {@code ./certops} and of the installed launcher: with arguments it runs
 * a headless command (no JavaFX is loaded); without, it opens the console. It does not extend
 * {@code Application}, so the console starts from a plain classpath.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) {
        if (!HeadlessMain.opensConsole(args)) {
            System.exit(Cli.run(args));
        }
        dev.certops.app.common.StartupTiming.mark("launcher");
        ConsoleApp.launchConsole(args);
    }
}
