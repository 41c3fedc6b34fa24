package dev.certops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;

/** The collapsed Details under an error: hidden without details, its text area built only once there are some. */
@ExtendWith(ApplicationExtension.class)
class DetailsPaneTest {

    /** What the pane shows: visible?, and the text area's text (null: no text area yet). */
    private static String seen(TitledPane pane) {
        return pane.isVisible() + " " + (pane.getContent() instanceof TextArea t ? t.getText() : null);
    }

    @Test
    void withoutDetailsThePaneIsHiddenAndItsTextAreaIsBuiltWhenTheFirstDetailsArrive(FxRobot robot) {
        StringProperty details = new SimpleStringProperty("");
        List<String> seen = new ArrayList<>();
        robot.interact(() -> {
            TitledPane pane = DetailsPane.of(details);
            seen.add(seen(pane));
            details.set("connection refused (127.0.0.1:1)");
            seen.add(seen(pane));
            details.set("");
            seen.add(seen(pane));
            details.set("the CA answered 503");
            seen.add(seen(pane));
        });
        assertThat(seen).containsExactly("false null", "true connection refused (127.0.0.1:1)", "false ", "true the CA answered 503");
    }

    @Test
    void detailsPresentWhenThePaneIsMadeAreShownAtOnce(FxRobot robot) {
        StringProperty details = new SimpleStringProperty("history.db is not readable");
        List<String> seen = new ArrayList<>();
        robot.interact(() -> seen.add(seen(DetailsPane.of(details))));
        assertThat(seen).containsExactly("true history.db is not readable");
    }
}
