package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Walks the whole picocli command tree — whatever commands exist, including ones added later — and runs
 * {@code --help} on each: exit 0, no picocli warning, every command, option and parameter described, and
 * no description that stops mid-sentence.
 */
class HelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandsHelpExitsZeroWithoutAWarningAndDescribesEverything() {
        List<List<String>> paths = CommandDispatch.commandPaths(Cli.commandLine(context(new StringWriter(), new StringWriter())));
        assertThat(paths).hasSizeGreaterThan(30);
        return paths.stream().map(path -> DynamicTest.dynamicTest("certops " + String.join(" ", path) + " --help", () -> helpOf(path)));
    }

    private static void helpOf(List<String> path) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        CommandLine root;
        try (CliContext ctx = context(out, err)) {
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            root = Cli.commandLine(ctx);
            code = root.execute(args.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        String warnings = stderr.toString(StandardCharsets.UTF_8) + err;
        String name = "certops " + String.join(" ", path);
        assertThat(code).as(name + " --help exit code; stderr: " + warnings).isZero();
        assertThat(warnings).as(name + " --help printed a warning or error").isEmpty();
        assertThat(out.toString()).as(name + " --help").startsWith("Usage: " + name.trim());

        CommandLine cl = root;
        for (String p : path) cl = cl.getSubcommands().get(p);
        CommandSpec spec = cl.getCommandSpec();
        String[] description = spec.usageMessage().description();
        assertThat(description).as(name + ": a description").isNotEmpty();
        assertThat(description[0].strip()).as(name + ": the first description line is what the command list shows; it must be a whole sentence")
                .matches("(?s).*[.:?!]\\)?$");
        for (OptionSpec o : spec.options()) {
            assertThat(String.join(" ", o.description()).strip()).as(name + " " + o.longestName() + ": a description").isNotEmpty();
        }
        for (ArgSpec a : spec.positionalParameters()) {
            assertThat(String.join(" ", a.description()).strip()).as(name + " " + a.paramLabel() + ": a description").isNotEmpty();
        }
    }

    private static CliContext context(StringWriter out, StringWriter err) {
        return new CliContext(Map.of("USER", "tester", "CERTOPS_HOME", "/nonexistent/certops-help-test"), new java.io.ByteArrayInputStream(new byte[0]),
                new PrintWriter(out, true), new PrintWriter(err, true), Clock.systemUTC());
    }
}
