package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One web server that several host entries may share (virtual hosts of one nginx deployed as
 * separate host entries). Its config test and reload read every server's files, so they must not
 * run while another host entry swaps its live link half-way (a reader could get the old
 * fullchain.pem and the new privkey.pem). Swaps take the shared side of a lock, test+reload the
 * exclusive side; test+reload requests that arrive while one runs are answered together by the
 * next run (group commit), which also spares the server a reload per host entry.
 * Host entries with their own server each get their own gate and never wait for another.
 */
final class ServiceGate {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object monitor = new Object();
    private Batch collecting;

    /** Host entries that run the same test and reload commands as the same user on the same machine share a server. */
    static String key(HostConfig h) {
        return h.address() + ":" + h.port() + "|" + h.user() + "|" + h.testCommand() + "|" + h.reloadCommand();
    }

    interface Step<T> { T run() throws DeployException; }

    /** Runs a swap (or any change of what the server would read) while no test or reload is reading. */
    <T> T swapping(Step<T> step) throws DeployException {
        lock.readLock().lock();
        try {
            return step.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs alone: nothing swaps meanwhile (rollback reloads). */
    <T> T exclusive(Step<T> step) throws DeployException {
        lock.writeLock().lock();
        try {
            return step.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The test then the reload, covering every swap that finished before this call: joins the batch
     * being collected, and the first member to get there runs it for all.
     */
    TestThenReload testAndReload(HostChannel ch, String test, String reload, Duration timeout) throws DeployException {
        Batch b;
        synchronized (monitor) {
            if (collecting == null) collecting = new Batch();
            b = collecting;
        }
        if (b.leader.compareAndSet(false, true)) {
            linger();
            synchronized (monitor) {
                if (collecting == b) collecting = null;
            }
            try {
                b.result.complete(exclusive(() -> TestThenReload.parse(ch.execConfigured(TestThenReload.commandLine(test, reload), timeout))));
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

    /**
     * Lets host entries that are swapping right now (or about to) join this batch: a short pause,
     * then until no swap is in progress (bounded). Single-host services pay only the pause.
     */
    private void linger() {
        long start = System.nanoTime();
        try {
            Thread.sleep(LINGER.toMillis());
            while (lock.getReadLockCount() > 0 && System.nanoTime() - start < MAX_LINGER.toNanos()) Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final Duration LINGER = Duration.ofMillis(30);
    static final Duration MAX_LINGER = Duration.ofSeconds(1);

    private static final class Batch {
        final AtomicBoolean leader = new AtomicBoolean();
        final CompletableFuture<TestThenReload> result = new CompletableFuture<>();
    }
}
