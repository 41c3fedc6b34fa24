package dev.certops.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

/** Writes DIR/NAME.png of a window's scene when -Dcertops.screenshots=DIR is set (docs/screenshots/). */
public final class Screenshots {
    private Screenshots() { }

    public static void take(Window window, String name) throws Exception {
        take(window.getScene(), name);
    }

    /** A scene that need not be in a window (a size the headless screen cannot show, e.g. 1366×768). */
    public static void take(javafx.scene.Scene scene, String name) throws Exception {
        String out = System.getProperty("certops.screenshots");
        if (out == null) return;
        WaitForAsyncUtils.waitForFxEvents();
        var image = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get(10, TimeUnit.SECONDS);
        Files.createDirectories(Path.of(out));
        javax.imageio.ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", Path.of(out, name + ".png").toFile());
    }
}
