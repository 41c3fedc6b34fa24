package dev.certops.startup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a command's JVM ends: {@link System#exit} after letting go of the threads that would make the exit itself
 * slow (docs/decisions/0017).
 *
 * <p>HotSpot's exit waits up to 0.3 s for every thread that is inside a native call to leave it
 * ({@code VM_Exit::wait_for_threads_in_native_to_block}; {@code -XX:UserThreadWaitAttemptsAtExit} on Java 25 and
 * later, 30 attempts of 10 ms). The JDK's {@code HttpClient} keeps one such thread per client, its selector
 * manager, blocked in {@code epoll_wait} for as long as the client lives, and Java 17 has no
 * {@code HttpClient.close()}. So every command that had spoken to a CA or a DNS API took 0.3 s longer to end than
 * its work (measured with strace: the VM thread's {@code exit_group} 0.31 s after the last output). The work is
 * done when this runs: the selector threads are interrupted (their loop ends on interrupt, as it does when the
 * client is no longer referenced) and given a moment to leave, then the JVM exits.
 */
public final class ProcessExit {
    /** How long the selector threads get to leave their native call; the JVM's own wait is 0.3 s. */
    private static final long LEAVE_MILLIS = 100;

    private ProcessExit() { }

    /** Ends the JVM with this exit code, without the wait for idle HTTP client threads. Never returns. */
    public static void exit(int code) {
        releaseIdleHttpClients();
        System.exit(code);
    }

    /** Interrupts the JDK HTTP clients' selector threads and waits a moment for them to end. */
    static void releaseIdleHttpClients() {
        List<Thread> selectors = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (isHttpClientSelector(t.getName())) {
                selectors.add(t);
                t.interrupt();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAVE_MILLIS);
        for (Thread t : selectors) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) break;
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every live thread, from the root thread group (no stack traces taken: that would stop them all). */
    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) threads = new Thread[threads.length * 2];
        return Arrays.copyOf(threads, n);
    }

    /** The JDK names them "HttpClient-N-SelectorManager" (jdk.internal.net.http.HttpClientImpl). */
    static boolean isHttpClientSelector(String name) {
        return name.startsWith("HttpClient-") && name.endsWith("-SelectorManager");
    }
}
