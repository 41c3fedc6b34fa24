package dev.certops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds only the part of the picocli model a command line needs. Building every command's model
 * (options, parameters, nested commands — by reflection) took a third of a second before anything ran;
 * a command needs its own (docs/decisions/0017). The root's options are read here by name: {@code --workspace
 * DIR}, {@code -h}/{@code --help}, {@code -V}/{@code --version}.
 */
final class CommandDispatch {
    private CommandDispatch() { }

    /**
     * Commands whose subcommands are added here instead of by their annotation, each with its subcommands in help's
     * order and by name: a typed subcommand is then built alone.
     */
    private static final Map<Class<?>, Nested> NESTED = Map.of(EstateCommand.class, new Nested(EstateCommand.SUBCOMMANDS, EstateCommand.BY_NAME));

    private record Nested(List<Class<?>> all, Map<String, Class<?>> byName) { }

    /** The root with every command. */
    static CommandLine full(CliContext ctx, CommandLine.IFactory factory) {
        CommandLine root = root(ctx, factory);
        for (Class<?> c : CertopsCommand.SUBCOMMANDS) root.addSubcommand(create(factory, c, null));
        return root;
    }

    /**
     * For {@code args}: the typed command alone under the root; the root's own help or version (no command
     * named) with one line per command, as its command list shows them; anything else (help COMMAND, a
     * mistyped command, an unknown option first) every command, so picocli's messages and suggestions stay
     * what they were.
     */
    static CommandLine forArgs(CliContext ctx, CommandLine.IFactory factory, String... args) {
        Optional<String> typed = firstCommand(args);
        if (typed == null) return full(ctx, factory);
        if (typed.isEmpty()) {
            CommandLine root = root(ctx, factory);
            for (Class<?> c : CertopsCommand.SUBCOMMANDS) root.addSubcommand(listing(c));
            return root;
        }
        Class<?> c = CertopsCommand.BY_NAME.get(typed.get());
        if (c == null) return full(ctx, factory);
        CommandLine root = root(ctx, factory);
        root.addSubcommand(create(factory, c, secondCommand(args)));
        return root;
    }

    /**
     * The command named first, after the root's own options: empty when there is none (only root options),
     * null when the line starts with something else (an unknown option, {@code --}, clustered options).
     */
    static Optional<String> firstCommand(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--workspace")) {
                i++;
            } else if (a.startsWith("--workspace=") || a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                continue;
            } else if (a.startsWith("-")) {
                return null;
            } else {
                // a command after the root's --help or --version: leave the precedence between them to picocli
                for (int j = 0; j < i; j++) {
                    if (List.of("-h", "--help", "-V", "--version").contains(args[j])) return null;
                }
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The words of every command under {@code root} ([] for the root itself), aliases and the help command left out. */
    static List<List<String>> commandPaths(CommandLine root) {
        List<List<String>> out = new ArrayList<>();
        walk(root, new ArrayList<>(), out);
        return out;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        if (cl.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) return;
        out.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) continue; // an alias
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            walk(e.getValue(), p, out);
        }
    }

    /** A short name for the trace: the command words typed, without options or values. */
    static String label(String... args) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--workspace") && b.length() == 0) {
                i++;
                continue;
            }
            if (a.startsWith("-")) {
                if (b.length() == 0) continue;
                break;
            }
            if (b.length() > 0) b.append(' ');
            b.append(a);
            if (b.length() > 30) break;
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }

    private static CommandLine root(CliContext ctx, CommandLine.IFactory factory) {
        return new CommandLine(new CertopsCommand(ctx), factory);
    }

    /**
     * The command {@code c}; when its subcommands are added here ({@link #NESTED}), only {@code typedSub} when that names
     * one of them, else all of them (its help lists them; a mistyped one gets picocli's suggestions).
     */
    private static CommandLine create(CommandLine.IFactory factory, Class<?> c, String typedSub) {
        CommandLine cl;
        try {
            cl = new CommandLine(factory.create(c), factory);
        } catch (Exception e) {
            throw new CommandLine.InitializationException("cannot create the command " + c.getSimpleName() + ": " + e.getMessage(), e);
        }
        Nested nested = NESTED.get(c);
        if (nested != null) {
            Class<?> only = typedSub == null ? null : nested.byName().get(typedSub);
            for (Class<?> sub : only != null ? List.of(only) : nested.all()) cl.addSubcommand(create(factory, sub, null));
        }
        return cl;
    }

    /**
     * The word after the first command (its subcommand), when the line is plain: the root's {@code --workspace} and its
     * value may come anywhere; any other option before it, or any help or version option anywhere, gives null (all of
     * the command's subcommands are built, so help lists them all).
     */
    static String secondCommand(String... args) {
        for (String a : args) {
            if (List.of("-h", "--help", "-V", "--version").contains(a)) return null;
        }
        int words = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--workspace")) {
                i++;
            } else if (a.startsWith("--workspace=")) {
                continue;
            } else if (a.startsWith("-")) {
                return null;
            } else if (++words == 2) {
                return a;
            }
        }
        return null;
    }

    /** The command's line in the root's command list (name, aliases, first line), without building its model. */
    private static CommandSpec listing(Class<?> c) {
        Command a = c.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(a.name()).aliases(a.aliases());
        spec.usageMessage().header(a.header()).description(a.description()).hidden(a.hidden());
        return spec;
    }
}
