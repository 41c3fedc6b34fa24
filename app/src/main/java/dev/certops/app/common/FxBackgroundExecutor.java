package dev.certops.app.common;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.stage.Window;
import org.controlsfx.control.Notifications;
import org.slf4j.LoggerFactory;

/** Background work as javafx.concurrent Tasks on a small daemon pool; counts what is running for the status bar. */
public final class FxBackgroundExecutor implements BackgroundExecutor {
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "certops-console-work");
        t.setDaemon(true);
        return t;
    });
    /** Work that takes longer than this ends with a desktop notification (the operator may have looked away). */
    static final java.time.Duration NOTIFY_AFTER = java.time.Duration.ofSeconds(5);
    private final ObservableList<String> titles = FXCollections.observableArrayList();

    /** What is running now, for the status bar. */
    public ObservableList<String> runningTitles() { return titles; }

    @Override
    public <T> void run(String title, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(title);
                return work.call();
            }
        };
        long started = System.nanoTime();
        titles.add(title);
        task.setOnSucceeded(e -> {
            titles.remove(title);
            if (System.nanoTime() - started > NOTIFY_AFTER.toNanos()) notify(title + " — done", false);
            onDone.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            titles.remove(title);
            if (System.nanoTime() - started > NOTIFY_AFTER.toNanos()) notify(title + " — failed: " + UserMessages.headline(task.getException()), true);
            onError.accept(task.getException());
        });
        pool.submit(task);
    }

    /** A desktop notification (ControlsFX); skipped when no window is showing to anchor it. */
    private static void notify(String text, boolean failed) {
        if (Window.getWindows().stream().noneMatch(Window::isShowing)) return;
        try {
            var n = Notifications.create().title("certops").text(text).hideAfter(javafx.util.Duration.seconds(8));
            if (failed) n.showError();
            else n.showInformation();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(FxBackgroundExecutor.class).debug("notification not shown: {}", e.toString());
        }
    }
}
