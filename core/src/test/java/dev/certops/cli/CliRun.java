package dev.certops.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs a certops command in-process with captured output, as a user at a terminal would. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(Map<String, String> env, String stdin, String... args) {
        return run(Clock.systemUTC(), env, stdin, args);
    }

    /** With a given clock (what the command takes as now). */
    public static CliRun run(Clock clock, Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("USER", "tester");
        try (CliContext ctx = new CliContext(e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out, true), new PrintWriter(err, true), clock)) {
            int code = Cli.execute(ctx, args);
            return new CliRun(code, out.toString(), err.toString());
        }
    }

    public static CliRun run(String... args) {
        return run(Map.of(), "", args);
    }
}
