package dev.certops.app;

import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;

/** Started in its own JVM by {@link NoDesktopTest}: starts JavaFX from the classpath the way {@link Launcher} does. */
public final class FxStartProbe {
    private FxStartProbe() { }

    public static void main(String[] args) throws InterruptedException {
        Launcher.quietClasspathWarning();
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        System.out.println("JavaFX started");
        Platform.exit();
    }
}
