package dev.certops.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bounded, per-key fair executor behind commands over many certificates. */
class BatchTest {

    @Test
    void anItemThatThrowsFailsAloneAndEveryOutcomeComesBackInTheItemsOrder() throws Exception {
        List<Batch.Outcome<Integer, String>> outcomes = new Batch(3, "test-batch").run(List.of(1, 2, 3, 4, 5), i -> "ca", i -> {
            if (i == 3) throw new IllegalStateException("the CA refused 3");
            return "issued " + i;
        }, o -> { });

        assertThat(outcomes).extracting(Batch.Outcome::item).containsExactly(1, 2, 3, 4, 5);
        assertThat(outcomes.get(2).ok()).isFalse();
        assertThat(outcomes.get(2).failure()).get().extracting(Throwable::getMessage).isEqualTo("the CA refused 3");
        assertThat(outcomes).filteredOn(Batch.Outcome::ok).extracting(o -> o.value().orElseThrow())
                .containsExactly("issued 1", "issued 2", "issued 4", "issued 5");
    }

    @Test
    void neverRunsMoreItemsAtOnceThanItsConcurrency() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        new Batch(3, "test-batch").run(java.util.stream.IntStream.range(0, 30).boxed().toList(), i -> i % 4, i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.yield();
            running.decrementAndGet();
            return i;
        }, o -> { });
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void aKeyWhoseItemsHangDoesNotStarveAnotherKey() throws Exception {
        // four items of a CA that hangs until every item of the other CA has finished: with two slots shared
        // first come first served, the hanging CA would take both and the other's items would never start
        CountDownLatch otherDone = new CountDownLatch(3);
        List<String> items = List.of("slow-1", "slow-2", "slow-3", "slow-4", "fast-1", "fast-2", "fast-3");
        List<Batch.Outcome<String, Boolean>> outcomes = new Batch(2, "test-batch").run(items, s -> s.split("-")[0], s -> {
            if (s.startsWith("fast")) {
                otherDone.countDown();
                return true;
            }
            return otherDone.await(30, TimeUnit.SECONDS); // a safety net only: fairness releases it at once
        }, o -> { });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).as(o.item()).contains(true));
    }

    @Test
    void eachFinishedItemIsHeardOnTheCallingThreadOneAtATime() throws Exception {
        Thread caller = Thread.currentThread();
        List<String> heard = new ArrayList<>(); // no lock: every call comes from the caller's thread
        List<Thread> threads = new ArrayList<>();
        new Batch(4, "test-batch").run(List.of("a", "b", "c", "d", "e"), s -> s, s -> s.toUpperCase(), o -> {
            threads.add(Thread.currentThread());
            heard.add(o.value().orElseThrow());
        });
        assertThat(heard).containsExactlyInAnyOrder("A", "B", "C", "D", "E");
        assertThat(threads).containsOnly(caller);
    }

    @Test
    void aConcurrencyBelowOneIsRefusedSayingWhatItMeans() {
        assertThatThrownBy(() -> new Batch(0, "test-batch")).hasMessageContaining("concurrency must be 1 or more");
    }
}
