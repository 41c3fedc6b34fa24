package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One web server that several host entries may share (virtual hosts of one nginx deployed as
 * separate host entries). Its config test and reload read every server's files, so a swap by
 * another host entry at that moment can make them read the old fullchain.pem with the new
 * privkey.pem ("key values mismatch"). Swaps are counted; a test or reload that failed while
 * another swap happened is run again (at most {@value #ATTEMPTS} times), so an interleaving is
 * never reported as a broken configuration. Test+reload requests that arrive while one runs are
 * answered together by the next run (group commit), sparing the server a reload per host entry;
 * the next run starts only when the one before has finished, so runs of one server never overlap.
 * Host entries with their own server each get their own gate and never wait for another.
 */
final class ServiceGate {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceGate.class);
    static final int ATTEMPTS = 3;
    static final Duration LINGER = Duration.ofMillis(20);
    static final Duration LINGER_AT_MOST = Duration.ofMillis(500);
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong swapsInProgress = new AtomicLong();
    /** Host entries on their way here (connecting, uploading, swapping): a batch waits a little for them. */
    private final AtomicLong approaching = new AtomicLong();
    private final Object monitor = new Object();
    private Batch collecting;
    /** The batch created last: the next one waits for its run before closing, so runs of one server never overlap. */
    private Batch latest;

    /** Host entries that run the same test and reload commands as the same user on the same machine share a server. */
    static String key(HostConfig h) {
        return h.address() + ":" + h.port() + "|" + h.user() + "|" + h.testCommand() + "|" + h.reloadCommand();
    }

    interface Step<T> { T run() throws DeployException; }

    /** A host entry on its way to this server's test and reload; closed when it gets there or gives up (idempotent). */
    final class Approach implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) approaching.decrementAndGet();
        }
    }

    /**
     * Says a host entry has started towards this server (before its upload): a batch about to run waits, a
     * bounded moment, for entries still on their way, so a wave of hosts of one server shares one test and reload.
     */
    Approach approach() {
        approaching.incrementAndGet();
        return new Approach();
    }

    /** Runs a swap (a change of what the server reads), counted so that a test running meanwhile is retried if it fails. */
    <T> T swapping(Step<T> step) throws DeployException {
        swapsInProgress.incrementAndGet();
        try {
            return step.run();
        } finally {
            swaps.incrementAndGet();
            swapsInProgress.decrementAndGet();
        }
    }

    /**
     * The test then the reload, covering every swap that finished before this call: joins the batch
     * being collected, and the first member to get there runs it for all.
     */
    TestThenReload testAndReload(HostChannel ch, String test, String reload, Duration timeout) throws DeployException {
        return testAndReload(ch, test, reload, timeout, null);
    }

    /** As above, for a host entry that announced itself with {@link #approach()}: it has arrived. */
    TestThenReload testAndReload(HostChannel ch, String test, String reload, Duration timeout, Approach arrived) throws DeployException {
        Batch b;
        synchronized (monitor) {
            if (collecting == null) {
                collecting = new Batch(latest == null ? null : latest.result);
                latest = collecting;
            }
            b = collecting;
            b.members++;
        }
        if (arrived != null) arrived.close();
        if (b.leader.compareAndSet(false, true)) {
            awaitPrevious(b);
            linger();
            int members;
            synchronized (monitor) {
                if (collecting == b) collecting = null;
                members = b.members;
            }
            long started = System.nanoTime();
            try {
                b.result.complete(run(ch, test, reload, timeout));
                LOG.debug("config test and reload for {} host entries of one server: {} ms", members, (System.nanoTime() - started) / 1_000_000);
            } catch (DeployException | RuntimeException e) {
                b.result.completeExceptionally(e);
            }
        }
        try {
            return b.result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeployException d) throw new DeployException(ch.hostId(), d.step(), d.getMessage(), null, false, d);
            throw new DeployException(ch.hostId(), "test", "config test failed: " + e.getCause(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException(ch.hostId(), "test", "interrupted while waiting for the config test", null);
        }
    }

    /** A reload on its own (after a rollback), re-run when it failed while another entry was swapping. */
    ExecResult reload(HostChannel ch, String reload, Duration timeout) throws DeployException {
        ExecResult r = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long before = swaps.get() + swapsInProgress.get();
            r = ch.execConfigured(ch.asRoot(reload), timeout);
            if (r.ok() || swaps.get() + swapsInProgress.get() == before && swapsInProgress.get() == 0) return r;
        }
        return r;
    }

    private TestThenReload run(HostChannel ch, String test, String reload, Duration timeout) throws DeployException {
        TestThenReload r = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            long before = swaps.get() + swapsInProgress.get();
            r = TestThenReload.parse(ch.execConfigured(TestThenReload.commandLine(ch.asRoot(test), ch.asRoot(reload)), timeout));
            boolean failed = !r.test().ok() || r.reload().map(x -> !x.ok()).orElse(false);
            boolean interleaved = swaps.get() + swapsInProgress.get() != before || swapsInProgress.get() > 0;
            if (!failed || !interleaved) return r;
        }
        return r;
    }

    /**
     * Waits until the run before this batch has finished: host entries that arrive meanwhile join this
     * batch, so one server runs one test and reload at a time, each for all entries then waiting,
     * instead of overlapping runs (each a config test and a reload that compete for the server's CPU).
     */
    private static void awaitPrevious(Batch b) {
        if (b.previous == null) return;
        try {
            b.previous.handle((r, e) -> null).get();
        } catch (ExecutionException e) {
            // handled above: a failed run before this one only ends the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets host entries swapping or still on their way join this batch: a short pause, then until none is swapping
     * or approaching (bounded by {@link #LINGER_AT_MOST}: a slow host's upload never holds the others back longer).
     */
    private void linger() {
        long start = System.nanoTime();
        try {
            Thread.sleep(LINGER.toMillis());
            while ((swapsInProgress.get() > 0 || approaching.get() > 0) && System.nanoTime() - start < LINGER_AT_MOST.toNanos()) Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Batch {
        final AtomicBoolean leader = new AtomicBoolean();
        int members;
        final CompletableFuture<TestThenReload> result = new CompletableFuture<>();
        final CompletableFuture<TestThenReload> previous;

        Batch(CompletableFuture<TestThenReload> previous) { this.previous = previous; }
    }
}
