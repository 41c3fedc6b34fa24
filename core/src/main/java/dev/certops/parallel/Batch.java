package dev.certops.parallel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs many items of work at once, at most {@code concurrency} at a time, fair between keys: when a slot
 * frees, the next item comes from the key with the fewest items running (ties in turn). One CA's slow or
 * failing orders therefore hold only their share of the slots while another CA's items keep moving.
 * Each item is isolated: whatever it throws is that item's failure, and the others go on.
 * <p>
 * {@code finished} hears each item as it ends, on the calling thread, one at a time (a CLI prints there
 * without locking); {@link #run} returns every outcome in the items' order. Used by commands over many
 * certificates ({@link CertificateBatch}); nothing in it knows about certificates.
 */
public final class Batch {
    /** The work for one item. */
    @FunctionalInterface
    public interface Work<T, R> {
        R run(T item) throws Exception;
    }

    /** How one item ended: its value (empty when the work returned nothing), or what it threw; {@code took} from its start to its end. */
    public record Outcome<T, R>(T item, Optional<R> value, Optional<Throwable> failure, Duration took) {
        public Outcome {
            Objects.requireNonNull(item, "item");
            if (value.isPresent() && failure.isPresent()) throw new IllegalArgumentException("an outcome has a value or a failure, not both");
        }

        public boolean ok() { return failure.isEmpty(); }
    }

    private final int concurrency;
    private final String threadName;

    /** @param threadName the workers' thread name (seen in thread dumps and logs) */
    public Batch(int concurrency, String threadName) {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be 1 or more, not " + concurrency);
        this.concurrency = concurrency;
        this.threadName = Objects.requireNonNull(threadName, "threadName");
    }

    public int concurrency() { return concurrency; }

    /**
     * Runs {@code work} on every item, items with the same {@code key} sharing the slots fairly with the
     * other keys. Returns when every item has ended. Interrupted, it stops the items still running
     * (interrupting them) and throws.
     */
    public <T, K, R> List<Outcome<T, R>> run(List<T> items, Function<? super T, K> key, Work<? super T, ? extends R> work,
                                             Consumer<? super Outcome<T, R>> finished) throws InterruptedException {
        if (items.isEmpty()) return List.of();
        Map<K, Deque<Integer>> waiting = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) waiting.computeIfAbsent(key.apply(items.get(i)), k -> new ArrayDeque<>()).add(i);
        List<K> keys = new ArrayList<>(waiting.keySet());
        Map<K, Integer> running = new HashMap<>();
        for (K k : keys) running.put(k, 0);
        LinkedBlockingQueue<Ended<K, T, R>> ended = new LinkedBlockingQueue<>();
        List<Outcome<T, R>> outcomes = new ArrayList<>(Collections.nCopies(items.size(), null));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, items.size()), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            int inFlight = 0;
            int remaining = items.size();
            int turn = 0;
            while (remaining > 0) {
                while (inFlight < concurrency) {
                    Optional<K> next = fairest(keys, waiting, running, turn);
                    if (next.isEmpty()) break;
                    K k = next.get();
                    turn = (keys.indexOf(k) + 1) % keys.size();
                    int index = waiting.get(k).removeFirst();
                    running.merge(k, 1, Integer::sum);
                    inFlight++;
                    T item = items.get(index);
                    pool.execute(() -> ended.add(one(index, k, item, work)));
                }
                Ended<K, T, R> e = ended.take();
                running.merge(e.key, -1, Integer::sum);
                inFlight--;
                remaining--;
                outcomes.set(e.index, e.outcome);
                finished.accept(e.outcome);
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Ended<K, T, R>(int index, K key, Outcome<T, R> outcome) { }

    private static <K, T, R> Ended<K, T, R> one(int index, K key, T item, Work<? super T, ? extends R> work) {
        long start = System.nanoTime();
        Outcome<T, R> o;
        try {
            R value = work.run(item);
            o = new Outcome<>(item, Optional.ofNullable(value), Optional.empty(), since(start));
        } catch (Throwable t) { // anything an item throws is that item's failure; the batch goes on
            o = new Outcome<>(item, Optional.empty(), Optional.of(t), since(start));
        }
        return new Ended<>(index, key, o);
    }

    private static Duration since(long start) { return Duration.ofNanos(System.nanoTime() - start); }

    /** The key with waiting items and the fewest running, the first such key at or after {@code turn} on a tie. */
    private static <K> Optional<K> fairest(List<K> keys, Map<K, Deque<Integer>> waiting, Map<K, Integer> running, int turn) {
        K best = null;
        for (int j = 0; j < keys.size(); j++) {
            K k = keys.get((turn + j) % keys.size());
            if (waiting.get(k).isEmpty()) continue;
            if (best == null || running.get(k) < running.get(best)) best = k;
        }
        return Optional.ofNullable(best);
    }
}
