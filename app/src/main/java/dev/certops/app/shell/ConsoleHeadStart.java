package dev.certops.app.shell;

import dev.certops.config.Workspace;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.prefs.Preferences;

/**
 * What the console's first screen needs, begun on a second thread the moment the process knows it opens the
 * console: the workspace's session (certops.yaml read, the history opened, SQLite's native library loaded) and
 * the Estate's first scan, and Java's preferences store (the remembered theme and window size) — while JavaFX starts its toolkit and builds the window on the other core. Before, the
 * window's thread opened the workspace itself after the toolkit had started, and the scan began only once the
 * screens were built. The window takes both over when it opens this workspace (the scan is the very one the
 * Estate runs on opening, recorded in history the same way); a workspace opened later from Settings opens as before.
 */
final class ConsoleHeadStart {
    private final Workspace workspace;
    private final CompletableFuture<ShellViewModel> shell = new CompletableFuture<>();

    private ConsoleHeadStart(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Opens {@code workspace} and scans its estate on a new thread; {@link #shell()} waits for the first part. */
    static ConsoleHeadStart begin(Workspace workspace, Map<String, String> env) {
        ConsoleHeadStart head = new ConsoleHeadStart(workspace);
        Thread t = new Thread(() -> head.run(env), "certops-console-head-start");
        t.setDaemon(true);
        t.start();
        return head;
    }

    private void run(Map<String, String> env) {
        Runnable scan;
        try {
            ShellViewModel vm = new ShellViewModel(workspace, env);
            scan = vm.scanAhead();
            shell.complete(vm);
        } catch (RuntimeException | Error e) {
            shell.completeExceptionally(e);
            return;
        }
        rememberedWindow();
        if (scan != null) scan.run();
    }

    /**
     * The operator's remembered theme and window size (ConsoleApp, Theme: this package's node) read once here, so the
     * window's thread finds Java's preferences store open (its first use reads the store's folder and starts its timer).
     */
    private static void rememberedWindow() {
        try {
            Preferences.userNodeForPackage(ConsoleHeadStart.class).get("theme.dark", null);
        } catch (RuntimeException e) {
            // the window reads them itself and meets the same problem there
        }
    }

    /** Whether this head start opened {@code ws} (the workspace the window is about to show). */
    boolean opened(Workspace ws) {
        // the folders compared directly: a record's equals() is bootstrapped through method handles on first use, and
        // here that first use fell on the window's thread (~40 classes loaded, two method-handle classes generated)
        return workspace.root().equals(ws.root());
    }

    /** The opened workspace's model, waiting until it is open; what went wrong opening it is thrown as it would have been on the window's thread. */
    ShellViewModel shell() {
        try {
            return shell.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw e;
        }
    }
}
