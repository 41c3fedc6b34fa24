package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ProgressIndicator;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Estate's busy spinner is made the first time the estate is busy after its window has drawn (an estate that
 * opens on a finished scan never builds one), in the place kept for it beside "Scan now".
 */
@ExtendWith(ApplicationExtension.class)
class EstateBusySpinnerTest {
    private final CountDownLatch scanMayFinish = new CountDownLatch(1);
    private EstateViewModel vm;

    /** Work on a thread of its own, its outcome delivered on the FX thread (as the console's executor does). */
    private static final BackgroundExecutor THREADED = new BackgroundExecutor() {
        @Override
        public <T> void run(String title, java.util.concurrent.Callable<T> work, Consumer<T> onDone, Consumer<Throwable> onError) {
            Thread t = new Thread(() -> {
                try {
                    T result = work.call();
                    Platform.runLater(() -> onDone.accept(result));
                } catch (Exception e) {
                    Platform.runLater(() -> onError.accept(e));
                }
            }, "estate-busy-spinner-test");
            t.setDaemon(true);
            t.start();
        }
    };

    @Start
    void start(Stage stage) {
        vm = new EstateViewModel(THREADED, () -> {
            scanMayFinish.await(10, TimeUnit.SECONDS);
            return EstateViewModelTest.snapshot(List.of());
        });
        stage.setScene(new Scene(new EstateView(vm).root(), 1280, 800));
        stage.show();
    }

    @Test
    void theSpinnerIsMadeWhenTheEstateIsFirstBusyInThePlaceKeptForItAndHidesWhenTheScanEnds(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#estate-busy").tryQuery()).as("nothing was busy yet: no spinner built").isEmpty();
        Node scanButton = robot.lookup("#estate-scan").query();
        double keptX = WaitForAsyncUtils.asyncFx(() -> scanButton.getParent().getChildrenUnmodifiable()
                .get(scanButton.getParent().getChildrenUnmodifiable().indexOf(scanButton) + 1).getLayoutX()).get(5, TimeUnit.SECONDS);

        robot.interact(vm::scan);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#estate-busy").tryQuery().isPresent());
        ProgressIndicator spinner = robot.lookup("#estate-busy").queryAs(ProgressIndicator.class);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spinner.isVisible()).isTrue();
        assertThat(spinner.getParent()).isSameAs(scanButton.getParent());
        assertThat(spinner.getParent().getChildrenUnmodifiable().indexOf(spinner)).isEqualTo(spinner.getParent().getChildrenUnmodifiable().indexOf(scanButton) + 1);
        assertThat(spinner.getLayoutX()).as("where its place was, 20 px wide").isEqualTo(keptX);
        assertThat(spinner.getWidth()).isEqualTo(20);

        scanMayFinish.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !vm.busyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(spinner.isVisible()).isFalse();
    }
}
