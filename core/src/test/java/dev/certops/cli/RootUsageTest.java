package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

/**
 * The root's help is printed from text the build rendered (docs/decisions/0017): it must be what picocli prints
 * with every command built today, plain and coloured. A failure here means the build did not render it again.
 */
class RootUsageTest {

    @Test
    void thePlainHelpTheBuildRenderedIsWhatPicocliPrintsWithEveryCommandBuilt() throws IOException {
        assertThat(resource(RootUsage.PLAIN)).isEqualTo(RootUsage.render(Ansi.OFF)).contains("Commands:", "issue", "estate");
    }

    @Test
    void theColouredHelpTheBuildRenderedIsWhatPicocliPrintsOnATerminal() throws IOException {
        assertThat(resource(RootUsage.COLOURED)).isEqualTo(RootUsage.render(Ansi.ON)).contains("\u001B[");
    }

    @Test
    void helpAndVersionAloneOrAfterTheWorkspaceAreAnsweredWithoutPicocli() throws IOException {
        StringWriter out = new StringWriter();
        try (CliContext ctx = context(out)) {
            assertThat(RootUsage.answer(ctx, "--workspace", "/srv/ws", "--help")).isEqualTo(OptionalInt.of(0));
        }
        assertThat(out.toString()).isEqualTo(resource(RootUsage.PLAIN));
        StringWriter version = new StringWriter();
        try (CliContext ctx = context(version)) {
            assertThat(RootUsage.answer(ctx, "-V")).isEqualTo(OptionalInt.of(0));
        }
        assertThat(version.toString()).startsWith("certops ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void anythingElseIsLeftToPicocli() {
        assertThat(RootUsage.rootFlag("--help")).contains("--help");
        assertThat(RootUsage.rootFlag("--workspace=/x", "-V")).contains("-V");
        assertThat(RootUsage.rootFlag("--workspace", "--help", "-h")).isEmpty();
        assertThat(RootUsage.rootFlag("--help", "issue")).isEmpty();
        assertThat(RootUsage.rootFlag("-hV")).isEmpty();
        assertThat(RootUsage.rootFlag("issue", "--help")).isEmpty();
        assertThat(RootUsage.rootFlag()).isEmpty();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RootUsage.class.getResourceAsStream(name)) {
            assertThat(in).as(name + " rendered by the build (core's process-classes step)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static CliContext context(StringWriter out) {
        return new CliContext(Map.of("CERTOPS_HOME", "/nonexistent/certops-root-usage-test"), new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(out, true), Clock.systemUTC());
    }
}
