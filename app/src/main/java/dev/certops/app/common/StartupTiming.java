package dev.certops.app.common;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.Scene;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up figures, logged once each at INFO (visible with {@code CERTOPS_LOG_LEVEL=info}): the
 * first frame of the window after layout, and the estate table first showing the workspace's
 * certificates — both counted from the moment the operating system started this process, so they
 * include the JVM's own start. ConsoleStartupBench reads them.
 */
public final class StartupTiming {
    private static final Logger LOG = LoggerFactory.getLogger("dev.certops.app.startup");
    private static final AtomicBoolean WINDOW = new AtomicBoolean();
    private static final AtomicBoolean ESTATE = new AtomicBoolean();

    private StartupTiming() { }

    /** Logs, after the scene's first layout pulse, how long the window took. */
    public static void watchFirstFrame(Scene scene) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            if (WINDOW.compareAndSet(false, true)) LOG.info("startup: window shown {} ms after the process started", sinceStart());
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /** Logs the first time the estate table shows the workspace's certificates. */
    public static void estateShown(int certificates) {
        if (ESTATE.compareAndSet(false, true)) {
            LOG.info("startup: estate shows {} certificates {} ms after the process started", certificates, sinceStart());
        }
    }

    private static long sinceStart() {
        return ProcessHandle.current().info().startInstant().map(s -> Duration.between(s, Instant.now()).toMillis()).orElse(-1L);
    }
}
