package dev.certops.app.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs long work off the UI thread and delivers the result (or the failure) back on it. The
 * console uses {@link FxBackgroundExecutor}; view-model tests use {@link #inline()}.
 */
public interface BackgroundExecutor {

    /** Runs {@code work} in the background; {@code onDone} or {@code onError} run on the UI thread. */
    <T> void run(String title, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError);

    /** Runs everything on the calling thread (tests). */
    static BackgroundExecutor inline() {
        return new BackgroundExecutor() {
            @Override
            public <T> void run(String title, Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
                T result;
                try {
                    result = work.call();
                } catch (Throwable t) {
                    onError.accept(t);
                    return;
                }
                onDone.accept(result);
            }
        };
    }
}
