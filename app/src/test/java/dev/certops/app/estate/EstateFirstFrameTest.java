package dev.certops.app.estate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.common.BackgroundExecutor;
import dev.certops.estate.CertificateView;
import dev.certops.estate.Status;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Estate with its scan shown before the window first draws (the head start's scan is often done by then): the
 * certificates are in the table for the first frame; the expiry chart, the unmanaged group and the tooltips join just
 * after, showing that scan.
 */
@ExtendWith(ApplicationExtension.class)
class EstateFirstFrameTest {
    private EstateViewModel vm;

    @Start
    void start(Stage stage) {
        vm = new EstateViewModel(BackgroundExecutor.inline(), () -> EstateViewModelTest.snapshot(List.of(
                EstateViewModelTest.cert("shop", Status.CRITICAL, "zerossl", 10, "web2", false),
                EstateViewModelTest.cert("mail", Status.WARNING, "letsencrypt", 20, "web1", false),
                EstateViewModelTest.cert("api", Status.OK, "letsencrypt", 60, "web1", false))));
        vm.setUnmanagedSource(() -> List.of(new EstateViewModel.UnmanagedRow("legacy.example.test", "critical", 9, "Old CA", "10.0.0.9:443")));
        EstateView view = new EstateView(vm);
        vm.scan(); // as the console does: the screen first, then its scan (here done at once, as the head start's often is)
        stage.setScene(new Scene(view.root(), 1280, 800));
        stage.show();
    }

    @Test
    void theChartTheUnmanagedGroupAndTheTooltipsShowTheScanTheEstateOpenedWith(FxRobot robot) throws Exception {
        TableView<CertificateView> table = robot.lookup("#estate-table").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(CertificateView::id).containsExactly("shop", "mail", "api");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#estate-timeline").tryQuery().isPresent());
        BarChart<?, ?> chart = robot.lookup("#estate-timeline").queryAs(BarChart.class);
        List<Integer> bars = WaitForAsyncUtils.asyncFx(() -> chart.getData().get(0).getData().stream()
                .map(d -> ((XYChart.Data<?, ?>) d).getYValue()).map(n -> ((Number) n).intValue()).toList()).get(5, TimeUnit.SECONDS);
        assertThat(bars).as("a bar per week, each certificate in the week it expires").isEqualTo(List.copyOf(vm.timeline()));
        assertThat(bars.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        TableView<?> unmanaged = robot.lookup("#unmanaged").queryAs(TableView.class);
        assertThat(unmanaged.getItems()).hasSize(1);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#estate-actions").query().getProperties().get("javafx.scene.control.Tooltip") != null);
        Object why = robot.lookup("#estate-actions").query().getProperties().get("javafx.scene.control.Tooltip");
        assertThat(why).isInstanceOf(Tooltip.class);
        assertThat(((Tooltip) why).getText()).isEqualTo("Select a certificate first.");
    }
}
