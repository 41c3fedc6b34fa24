package dev.certops.app;

import dev.certops.app.common.StartupTiming;
import dev.certops.app.shell.ConsoleApp;
import dev.certops.cli.Cli;
import dev.certops.cli.HeadlessMain;
import dev.certops.logging.LogProvider;
import dev.certops.startup.ProcessExit;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The one entry point of {@code ./certops} and of the installed launcher: with arguments it runs
 * a headless command (no JavaFX is loaded); without, it opens the console. It does not extend
 * {@code Application}, so the console starts from a plain classpath.
 */
public final class Launcher {
    /** What a console start without a desktop session prints (one line) before it exits 2. */
    static final String NO_DESKTOP = "certops: the console needs a desktop session (X11 or Wayland: DISPLAY or WAYLAND_DISPLAY is not set"
            + " or cannot be opened); the command line works without one: ./certops --help";

    private Launcher() { }

    public static void main(String[] args) {
        LogProvider.select();
        if (!HeadlessMain.opensConsole(args)) {
            ProcessExit.exit(Cli.run(args));
        }
        if (!hasDesktop(System.getenv(), System.getProperty("glass.platform"))) {
            System.err.println(NO_DESKTOP);
            System.exit(2);
        }
        quietClasspathWarning();
        StartupTiming.mark("launcher");
        try {
            ConsoleApp.launchConsole(args);
        } catch (RuntimeException e) {
            if (!displayMissing(e)) throw e;
            System.err.println(NO_DESKTOP);
            System.exit(2);
        }
    }
    /** A display to open: X11 or Wayland, or JavaFX's headless Monocle platform (tests). */
    static boolean hasDesktop(Map<String, String> env, String glassPlatform) {
        if ("Monocle".equalsIgnoreCase(glassPlatform)) return true;
        return !env.getOrDefault("DISPLAY", "").isBlank() || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    }

    /** GTK's "Unable to open DISPLAY" (a DISPLAY that is set but has no server behind it), anywhere in the chain. */
    static boolean displayMissing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("DISPLAY")) return true;
        }
        return false;
    }

    /**
     * JavaFX warns at every start that it was loaded from the classpath ("Unsupported JavaFX configuration: classes
     * were loaded from 'unnamed module …'"). certops starts it from the classpath on purpose (one jar set for the CLI
     * and the console, class-data archives: docs/decisions/0007), so that one warning is dropped; others pass.
     */
    static void quietClasspathWarning() {
        JavaFxLog.LOGGER.setFilter(r -> r.getMessage() == null || !r.getMessage().startsWith("Unsupported JavaFX configuration"));
    }

    /**
     * Held so the filter on JavaFX's logger stays in place (loggers are weakly referenced). In a holder, so a
     * command never starts java.util.logging: its first logger looks for logging services in every jar (~0.1 s).
     */
    private static final class JavaFxLog {
        static final Logger LOGGER = Logger.getLogger("javafx");
    }
}
