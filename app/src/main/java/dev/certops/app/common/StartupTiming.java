package dev.certops.app.common;

import java.lang.management.ManagementFactory;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.scene.Scene;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up figures, logged once each at INFO (visible with {@code CERTOPS_LOG_LEVEL=info}): the
 * first frame of the window after layout, and the estate table first showing the workspace's
 * certificates — both counted from the JVM's start, so they include the JVM's own boot (./certops'
 * shell part before it takes about 20 ms). ConsoleStartupBench reads them.
 */
public final class StartupTiming {
    private static final Logger LOG = LoggerFactory.getLogger("dev.certops.app.startup");
    private static final AtomicBoolean WINDOW = new AtomicBoolean();
    private static final AtomicBoolean ESTATE = new AtomicBoolean();
    /** The certificates the estate showed before the window's first frame (logged with that frame), else -1. */
    private static final AtomicInteger ESTATE_BEFORE_WINDOW = new AtomicInteger(-1);
    /** Set by the console's training run (ConsoleTraining): the console closes once its window and estate are shown. */
    public static final String EXIT_WHEN_SHOWN = "certops.training.exitWhenEstateShown";

    private StartupTiming() { }

    /**
     * Phases reached before the window's first frame, with the time each was reached, logged with that frame: the
     * first line logged sets logging up (logback, ~200 classes), which a start without CERTOPS_LOG_LEVEL=info never
     * does; logged as they came, they slowed the very start they time (Application.launch waited for it).
     */
    private static final Queue<Object[]> BEFORE_FIRST_FRAME = new ConcurrentLinkedQueue<>();

    /** A start-up phase reached (logged at INFO: CERTOPS_LOG_LEVEL=info shows where the time goes). */
    public static void mark(String phase) {
        if (!LOG.isInfoEnabled()) return;
        long at = System.currentTimeMillis();
        if (!WINDOW.get()) BEFORE_FIRST_FRAME.add(new Object[] {phase, at});
        else LOG.info("startup: {} {} ms after the JVM started", phase, sinceStart(at));
    }

    /** Logs, after the scene's first layout pulse, how long the window took. */
    public static void watchFirstFrame(Scene scene) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            long at = System.currentTimeMillis();
            if (!WINDOW.compareAndSet(false, true)) return;
            for (Object[] m; (m = BEFORE_FIRST_FRAME.poll()) != null; ) {
                LOG.info("startup: {} {} ms after the JVM started", m[0], sinceStart((Long) m[1]));
            }
            long now = sinceStart(at);
            if (LOG.isInfoEnabled()) LOG.info("startup: window shown {} ms after the JVM started", now);
            int before = ESTATE_BEFORE_WINDOW.getAndSet(-1);
            if (before >= 0 && LOG.isInfoEnabled()) LOG.info("startup: estate shows {} certificates {} ms after the JVM started", before, now);
            exitWhenTrained();
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /**
     * Logs the first time the estate table shows the workspace's certificates. Rows given to the table before the
     * window's first frame show with that frame: they are logged then, with its time (never earlier than drawn).
     */
    public static void estateShown(int certificates) {
        if (!ESTATE.compareAndSet(false, true)) return;
        if (!WINDOW.get()) { // both on the FX thread: the first frame's listener logs it
            ESTATE_BEFORE_WINDOW.set(certificates);
        } else if (LOG.isInfoEnabled()) {
            LOG.info("startup: estate shows {} certificates {} ms after the JVM started", certificates, sinceStart(System.currentTimeMillis()));
        }
        exitWhenTrained();
    }

    /** The training run closes the console once it has drawn its first frame and shown the estate. */
    private static void exitWhenTrained() {
        if (WINDOW.get() && ESTATE.get() && Boolean.getBoolean(EXIT_WHEN_SHOWN)) Platform.runLater(Platform::exit);
    }

    /** {@code at} from the JVM's start (millisecond precision; the OS's process start time is only known to the second on Linux). */
    private static long sinceStart(long at) {
        return at - ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
