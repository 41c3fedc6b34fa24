package dev.certops.runbook;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a step's {@code with:} references to earlier steps' outputs resolve. */
class StepContextTest {
    private static StepContext after(Map<String, Map<String, Object>> outputs) {
        return new StepContext("1", "quarterly-drill", true, new DrillPolicy(true), Map.of(), Optional.empty(),
                Map.of("serial", "${steps.rollback.serial}"), outputs, Map.<String, List<String>>of(), new StepContext.Progress() {
                    @Override public void report(double fraction, String message) { }
                    @Override public void log(String line) { }
                }, Optional.empty());
    }

    @Test
    void aReferenceToAnOutputTheStepCouldNotFillFailsWithThatStepsReason() {
        StepContext ctx = after(Map.of("rollback", Map.of("rolledBack", List.of("web@a", "web@b"), StepContext.MISSING,
                Map.of("serial", "the certificates live again are not one serial (web@a = 01, web@b = 02) — check each host"))));
        assertThatThrownBy(() -> ctx.resolve("${steps.rollback.serial}")).isInstanceOf(RunbookException.class)
                .hasMessageContaining("step 'rollback' says the certificates live again are not one serial (web@a = 01, web@b = 02)")
                .hasMessageNotContaining("runbook's parameters");
    }

    @Test
    void aReferenceToAnOutputNoStepExplainsStillPointsAtTheRunbook() {
        StepContext ctx = after(Map.of("rollback", Map.of("rolledBack", List.of("web@a"))));
        assertThatThrownBy(() -> ctx.resolve("${steps.rollback.serial}")).isInstanceOf(RunbookException.class)
                .hasMessageContaining("has no value yet: check the runbook's parameters");
    }
}
