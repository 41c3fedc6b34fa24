package dev.certops.startup;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A value computed once per process: by the first that asks, or ahead on a thread of its own ({@link #ahead}) so
 * that it is ready when asked (Java's trust store: about 150 certificates to parse). Whoever asks while it is being
 * computed waits for it; a failure is the failure of every ask.
 */
public final class OncePerProcess<T> {
    private final String what;
    private final FutureTask<T> task;
    private final AtomicBoolean ahead = new AtomicBoolean();

    /** @param what how the value reads in "X cannot be read" ("Java's trust store") */
    public OncePerProcess(String what, Callable<T> compute) {
        this.what = what;
        this.task = new FutureTask<>(compute);
    }

    /** Starts computing it on a daemon thread named {@code thread}, unless that was done already. */
    public void ahead(String thread) {
        if (!ahead.compareAndSet(false, true)) return;
        Thread t = new Thread(task, thread);
        t.setDaemon(true);
        t.start();
    }

    /** The value: computed here unless computed (or being computed) already. */
    public T get() {
        task.run();
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(what + " cannot be read: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
