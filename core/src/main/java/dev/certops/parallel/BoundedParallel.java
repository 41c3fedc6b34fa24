package dev.certops.parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one piece of work per item, at most {@code atMost} at once, and waits for all of them.
 *
 * <ul>
 *   <li>Items start in list order: {@code starting} runs on the caller's thread just before an item's work
 *       is handed to a worker, so whatever it records (a "started" line, a history event) is in item order
 *       whatever the finishing order.</li>
 *   <li>A failure of one item does not stop the others: each item's {@link Throwable} is returned at its
 *       index ({@code null} when it ended normally). When {@code starting} throws, that item and the ones
 *       after it are not started (their slot holds the exception); the ones already running finish.</li>
 *   <li>Interrupting the caller stops starting new items, interrupts the running ones, waits for them to
 *       end (their own clean-up, e.g. recording how they ended, still happens), then throws
 *       {@link InterruptedException}.</li>
 * </ul>
 * Not fair per key: every item is its own key. A caller that needs per-key fairness (per CA, per host)
 * orders its items so.
 */
public final class BoundedParallel {
    private BoundedParallel() { }

    /** Runs on the caller's thread before an item's work starts. */
    @FunctionalInterface
    public interface Start<T> { void starting(T item) throws Exception; }

    /** One item's work, on a worker thread. */
    @FunctionalInterface
    public interface Work<T> { void run(T item) throws Exception; }

    /** Thrown into the slot of an item that was never started because an earlier item's start failed. */
    public static final class NotStarted extends Exception {
        private static final long serialVersionUID = 1L;

        NotStarted(Throwable why) { super("not started: " + why.getMessage(), why); }
    }

    /**
     * Runs {@code work} for each item, {@code atMost} at once (1 runs them one after another, on worker threads
     * named {@code threadName-N}). Returns per item how it ended: {@code null}, or what it threw.
     */
    public static <T> List<Throwable> runAll(List<T> items, int atMost, String threadName, Start<T> starting, Work<T> work)
            throws InterruptedException {
        if (atMost < 1) throw new IllegalArgumentException("at most " + atMost + " at once: give 1 or more");
        Throwable[] ended = new Throwable[items.size()];
        if (items.isEmpty()) return List.of();
        int width = Math.min(atMost, items.size());
        Semaphore free = new Semaphore(width);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(width, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        boolean interrupted = false;
        try {
            for (int i = 0; i < items.size(); i++) {
                try {
                    free.acquire();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
                T item = items.get(i);
                try {
                    starting.starting(item);
                } catch (Exception | Error e) {
                    free.release();
                    ended[i] = e;
                    for (int j = i + 1; j < items.size(); j++) ended[j] = new NotStarted(e);
                    break;
                }
                int index = i;
                workers.execute(() -> {
                    try {
                        work.run(item);
                    } catch (Throwable t) {
                        ended[index] = t;
                    } finally {
                        free.release();
                    }
                });
            }
            if (!interrupted) {
                try {
                    free.acquire(width); // every worker has given its slot back: all done
                    free.release(width);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                workers.shutdownNow(); // interrupts the running ones
                free.acquireUninterruptibly(width);
                free.release(width);
            }
        } finally {
            workers.shutdownNow();
        }
        if (interrupted) throw new InterruptedException("interrupted while running " + items.size() + " items, " + atMost + " at once");
        return new ArrayList<>(Arrays.asList(ended));
    }
}
