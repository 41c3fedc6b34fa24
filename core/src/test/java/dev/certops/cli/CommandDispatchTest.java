package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The CLI builds only the command that was typed (docs/decisions/0017). Each command line here runs twice,
 * once through that dispatch and once with every command built, and must print the same and exit the same.
 */
class CommandDispatchTest {

    @Test
    void theTypedWordFindsEachCommandByTheNameAndAliasesItsAnnotationGives() {
        Map<String, Class<?>> fromAnnotations = new HashMap<>();
        for (Class<?> c : CertopsCommand.SUBCOMMANDS) {
            CommandLine.Command a = c.getAnnotation(CommandLine.Command.class);
            if (a.helpCommand()) continue;
            fromAnnotations.put(a.name(), c);
            for (String alias : a.aliases()) fromAnnotations.put(alias, c);
        }
        assertThat(CertopsCommand.BY_NAME).isEqualTo(fromAnnotations);
        Map<String, Class<?>> estate = new HashMap<>();
        for (Class<?> c : EstateCommand.SUBCOMMANDS) estate.put(c.getAnnotation(CommandLine.Command.class).name(), c);
        assertThat(EstateCommand.BY_NAME).isEqualTo(estate);
    }

    @Test
    void onlyAPlainlyTypedSubcommandIsBuiltAlone() {
        assertThat(CommandDispatch.secondCommand("estate", "scan")).isEqualTo("scan");
        assertThat(CommandDispatch.secondCommand("--workspace", "/ws", "estate", "--workspace=/ws", "affected", "--ca", "x")).isEqualTo("affected");
        assertThat(CommandDispatch.secondCommand("estate")).isNull();
        assertThat(CommandDispatch.secondCommand("estate", "--help")).isNull();
        assertThat(CommandDispatch.secondCommand("estate", "-h", "scan")).as("help anywhere: every subcommand, as help lists them").isNull();
        assertThat(CommandDispatch.secondCommand("estate", "--json", "scan")).as("an option before it").isNull();
    }

    @TestFactory
    Stream<DynamicTest> everyCommandsHelpIsTheSameWhenOnlyThatCommandIsBuilt() {
        List<List<String>> paths = CommandDispatch.commandPaths(Cli.commandLine(context(new StringWriter())));
        assertThat(paths).hasSizeGreaterThan(30);
        return paths.stream().map(path -> {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            return DynamicTest.dynamicTest("certops " + String.join(" ", args), () -> assertSameAsFullModel(args.toArray(String[]::new)));
        });
    }

    @TestFactory
    Stream<DynamicTest> rootHelpVersionMistakesAndHelpCommandAreTheSameAsWithEveryCommandBuilt() {
        List<String[]> lines = List.of(new String[0], new String[] {"--help"}, new String[] {"-h"}, new String[] {"--version"},
                new String[] {"-V"}, new String[] {"--workspace", "/nonexistent/ws", "--help"}, new String[] {"--workspace=/nonexistent/ws", "--version"},
                new String[] {"--workspace"}, new String[] {"nosuch"}, new String[] {"isue", "api"}, new String[] {"--nosuch"},
                new String[] {"help"}, new String[] {"help", "issue"}, new String[] {"help", "estate", "scan"}, new String[] {"--help", "issue"},
                new String[] {"estate"}, new String[] {"estate", "nosuch"}, new String[] {"issue"}, new String[] {"issue", "--nosuch", "api"},
                new String[] {"--workspace", "/nonexistent/ws", "issue", "api"}, new String[] {"config", "check", "--timeout", "x"},
                new String[] {"--", "issue"});
        return lines.stream().map(args -> DynamicTest.dynamicTest("certops " + String.join(" ", args), () -> assertSameAsFullModel(args)));
    }

    @Test
    void theTypedCommandIsTheOnlyOneBuilt() {
        CommandLine cl = Cli.commandLine(context(new StringWriter()), "--workspace", "/srv/ws", "estate", "scan", "--json");
        assertThat(cl.getSubcommands().keySet()).containsExactly("estate");
        assertThat(cl.getSubcommands().get("estate").getSubcommands()).containsKey("scan");
    }

    @Test
    void theRootsHelpListsEveryCommandWithoutBuildingThem() {
        CommandLine cl = Cli.commandLine(context(new StringWriter()), "--help");
        assertThat(cl.getSubcommands()).hasSize(Cli.commandLine(context(new StringWriter())).getSubcommands().size());
        assertThat(cl.getSubcommands().get("issue").getCommandSpec().userObject()).isNull();
    }

    @Test
    void theFirstCommandSkipsTheRootsOwnOptionsAndGivesUpOnAnythingElse() {
        assertThat(CommandDispatch.firstCommand("--workspace", "/x", "issue", "api")).contains("issue");
        assertThat(CommandDispatch.firstCommand("--workspace=/x", "renew", "--dry-run")).contains("renew");
        assertThat(CommandDispatch.firstCommand("--help")).isEqualTo(Optional.empty());
        assertThat(CommandDispatch.firstCommand()).isEqualTo(Optional.empty());
        assertThat(CommandDispatch.firstCommand("--version", "issue")).isNull();
        assertThat(CommandDispatch.firstCommand("-hV")).isNull();
        assertThat(CommandDispatch.firstCommand("--", "issue")).isNull();
    }

    private static void assertSameAsFullModel(String... args) {
        StringWriter lazyOut = new StringWriter();
        StringWriter fullOut = new StringWriter();
        int lazy;
        int full;
        try (CliContext ctx = context(lazyOut)) {
            lazy = Cli.execute(ctx, args);
        }
        try (CliContext ctx = context(fullOut)) {
            full = Cli.commandLine(ctx).execute(args);
        }
        assertThat(lazyOut.toString()).isEqualTo(fullOut.toString());
        assertThat(lazy).isEqualTo(full);
    }

    /** One writer for out and err: what a person sees, in order. */
    private static CliContext context(StringWriter both) {
        return new CliContext(Map.of("USER", "tester", "CERTOPS_HOME", "/nonexistent/certops-dispatch-test"), new ByteArrayInputStream(new byte[0]),
                new PrintWriter(both, true), new PrintWriter(both, true), Clock.systemUTC());
    }
}
