package dev.certops.cli;

import dev.certops.config.ConfigException;
import dev.certops.config.Passphrases;
import dev.certops.crypto.Redactor;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.Interruptions;
import dev.certops.history.HistoryException;
import dev.certops.logging.LogProvider;
import dev.certops.startup.ProcessExit;
import dev.certops.startup.StartupTrace;
import dev.certops.team.ApprovalNeededException;
import dev.certops.team.NotAllowedException;
import dev.certops.words.Causes;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The headless face of certops: {@code certops <command>}. A thin layer over core services; it
 * prints, the services never do. Commands get the {@link CliContext} through their constructor.
 */
public final class Cli {

    private Cli() { }

    public static void main(String[] args) {
        LogProvider.select();
        int code;
        try (Interruptions.Running c = Interruptions.command()) { // a SIGTERM after a deploy lets the command finish
            code = run(args);
        }
        ProcessExit.exit(code);
    }

    /** Runs a command with the real environment and streams. */
    public static int run(String[] args) {
        HeadStarts.forArgs(args);
        CliContext context;
        try (StartupTrace.Phase p = StartupTrace.phase("main: streams and context")) {
            context = CliContext.system();
        }
        try (CliContext ctx = context) {
            return execute(ctx, args);
        } finally {
            StartupTrace.report(System.err);
        }
    }

    /** Runs a command in the given context (tests use their own streams and environment). */
    public static int execute(CliContext ctx, String... args) {
        try (StartupTrace.Phase p = StartupTrace.phase("root help or version, rendered at build time")) {
            OptionalInt answered = RootUsage.answer(ctx, args);
            if (answered.isPresent()) return answered.getAsInt();
        }
        CommandLine cl;
        try (StartupTrace.Phase p = StartupTrace.phase("picocli model")) {
            cl = commandLine(ctx, args);
        }
        try (StartupTrace.Phase p = StartupTrace.phase("command " + CommandDispatch.label(args))) {
            return cl.execute(args);
        }
    }

    /** Every command (what {@code help COMMAND}, a mistyped command and the tests that walk the tree need). */
    public static CommandLine commandLine(CliContext ctx) {
        return configure(CommandDispatch.full(ctx, new ContextFactory(ctx)), ctx);
    }

    /**
     * Only what {@code args} need: the typed subcommand alone, or for the root's own help and version the
     * root with a one-line entry per command; anything else gets every command. Output and exit codes are
     * those of {@link #commandLine(CliContext)} (CommandDispatchTest compares them).
     */
    static CommandLine commandLine(CliContext ctx, String... args) {
        return configure(CommandDispatch.forArgs(ctx, new ContextFactory(ctx), args), ctx);
    }

    /** Settings apply to the subcommands present when they are set: call after every subcommand was added. */
    private static CommandLine configure(CommandLine cl, CliContext ctx) {
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(Cli::exitCode);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (exitCode(ex) == ExitCodes.INTERNAL) {
                String command = cmd.getCommandSpec().qualifiedName(" ");
                Optional<Path> log = workspaceRoot(ctx).flatMap(root -> CrashLog.write(root, command, ex));
                ctx.err().println(Redactor.global().scrub(internal(ex, log)));
                // the logger only now: logging is configured when something logs, not on every start
                LoggerFactory.getLogger(Cli.class).error("internal error in '{}': {}", command, Redactor.global().scrub(String.valueOf(ex.getMessage())));
            } else {
                ctx.err().println(Redactor.global().scrub(message(ex)));
            }
            return exitCode(ex);
        });
        cl.setParameterExceptionHandler((ex, strings) -> {
            ctx.err().println("certops: " + ex.getMessage());
            ctx.err().println("Try 'certops " + qualifiedName(ex.getCommandLine()) + " --help' for the options.");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    private static String qualifiedName(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        return name.startsWith("certops ") ? name.substring("certops ".length()) : "";
    }

    /** A refusal by who-may-do-what: a second person is needed (2), or the key / role is missing (77). */
    static CommandFailedException notAllowed(NotAllowedException e) {
        return new CommandFailedException(e.getMessage(), e instanceof ApprovalNeededException ? ExitCodes.FAILED : ExitCodes.NOT_ALLOWED);
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof NotAllowedException n) return notAllowed(n).exitCode();
        if (ex instanceof ConfigException || ex instanceof Passphrases.PassphraseException) return ExitCodes.CONFIG;
        if (ex instanceof CommandFailedException f) return f.exitCode();
        if (ex instanceof HistoryException || ex instanceof DeployException) return ExitCodes.FAILED;
        if (ex instanceof IOException) return ExitCodes.FAILED;
        return ExitCodes.INTERNAL;
    }

    static String message(Throwable ex) {
        if (ex instanceof ConfigException || ex instanceof CommandFailedException || ex instanceof HistoryException
                || ex instanceof Passphrases.PassphraseException
                || ex instanceof NotAllowedException
                || ex instanceof DeployException) {
            return "certops: " + ex.getMessage();
        }
        if (ex instanceof IOException) {
            return "certops: " + Causes.withContext(ex);
        }
        return internal(ex, Optional.empty());
    }

    /** An unexpected error: what happened in one line, and the log file that holds the details (when it could be written). */
    static String internal(Throwable ex, Optional<Path> log) {
        return "certops: internal error (" + Causes.of(ex) + "). Nothing else was changed. "
                + log.map(l -> "The details are in " + l + ": please report it with that file.")
                        .orElse("The details could not be written to certops.log (no writable workspace); please report this message.");
    }

    private static Optional<Path> workspaceRoot(CliContext ctx) {
        try {
            return Optional.of(ctx.workspace().root());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Creates commands, passing the context to constructors that take one. */
    private static final class ContextFactory implements CommandLine.IFactory {
        static {
            // picocli's default factory looks for Groovy's Closure class when it is first used: a class that is nowhere,
            // so the class loader searched all ~55 jars of the class path for it (~37 ms of an issuance's main thread),
            // on every command, before its model was built. certops has no Groovy closures in its annotations
            // (picocli's own switch for this).
            if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
        }

        private final CliContext ctx;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext ctx) { this.ctx = ctx; }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
                c.setAccessible(true);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return fallback.create(cls);
            }
        }
    }
}
