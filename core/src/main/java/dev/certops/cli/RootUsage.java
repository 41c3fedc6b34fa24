package dev.certops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code certops --help} and {@code certops --version} without building picocli's model. The root's usage is
 * rendered by picocli at build time ({@link #main}, run by the core module's build into its classes) in both
 * forms, plain and coloured, and printed from there: building the root's model and rendering it cost about
 * two thirds of {@code --help} (docs/decisions/0017). {@code RootUsageTest} renders it again with picocli and
 * compares. Anything but the root's help or version alone, or a usage width set with {@code picocli.usage.width},
 * goes to picocli as before.
 */
final class RootUsage {
    static final String PLAIN = "root-usage.txt";
    static final String COLOURED = "root-usage.ansi.txt";

    private RootUsage() { }

    /** The exit code when {@code args} ask for the root's help or version only and it was printed; empty otherwise. */
    static OptionalInt answer(CliContext ctx, String... args) {
        Optional<String> flag = rootFlag(args);
        if (flag.isEmpty() || System.getProperty("picocli.usage.width") != null) return OptionalInt.empty();
        if (flag.get().equals("-V") || flag.get().equals("--version")) {
            for (String line : new VersionProvider().getVersion()) ctx.out().println(line);
            ctx.out().flush();
            return OptionalInt.of(ExitCodes.OK);
        }
        // picocli's own decision, for the terminal picocli would have coloured (19 small classes, no model)
        Optional<String> text = read(Ansi.AUTO.enabled() ? COLOURED : PLAIN);
        if (text.isEmpty()) return OptionalInt.empty();   // run from classes the build did not render into: picocli renders
        ctx.out().print(text.get());
        ctx.out().flush();
        return OptionalInt.of(ExitCodes.OK);
    }

    /** {@code -h}, {@code --help}, {@code -V} or {@code --version}, alone or after {@code --workspace DIR}; otherwise empty. */
    static Optional<String> rootFlag(String... args) {
        int i = 0;
        if (args.length == 3 && args[0].equals("--workspace") && !args[1].startsWith("-")) {
            i = 2;
        } else if (args.length == 2 && args[0].startsWith("--workspace=")) {
            i = 1;
        } else if (args.length != 1) {
            return Optional.empty();
        }
        String a = args[i];
        return a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") ? Optional.of(a) : Optional.empty();
    }

    /** The root's usage as picocli prints it, every command built. */
    static String render(Ansi ansi) {
        StringWriter text = new StringWriter();
        try (CliContext ctx = new CliContext(Map.of(), InputStream.nullInputStream(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Clock.systemUTC())) {
            CommandLine root = Cli.commandLine(ctx);
            try (PrintWriter out = new PrintWriter(text)) {
                root.usage(out, ansi);
            }
        }
        return text.toString();
    }

    private static Optional<String> read(String name) {
        try (InputStream in = RootUsage.class.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The build's step: writes both renderings beside this class under the classes folder given. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], RootUsage.class.getPackageName().replace('.', '/'));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PLAIN), render(Ansi.OFF), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(COLOURED), render(Ansi.ON), StandardCharsets.UTF_8);
    }
}
