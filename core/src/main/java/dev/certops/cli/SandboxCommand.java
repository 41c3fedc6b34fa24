package dev.certops.cli;

import dev.certops.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code certops sandbox up | break primary-ca|reload | down}. */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "A complete local estate (two Pebble CAs, sshd, nginx) to try and rehearse on, touching nothing real.",
        footer = {"", "Every subcommand takes --dir DIR, the sandbox's folder (default: ~/certops-sandbox):",
                "  ./certops sandbox up --dir DIR | break primary-ca|reload --dir DIR | down --dir DIR",
                "The sandbox's three hosts share one nginx: deploying one certificate reloads the others' sites too."},
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Break.class, SandboxCommand.Down.class})
final class SandboxCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    static Path dir(Path option) {
        return option != null ? option : Path.of(System.getProperty("user.home"), "certops-sandbox");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the sandbox and create its workspace.")
    static final class Up implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--dir", paramLabel = "DIR", description = "Where (default: ~/certops-sandbox; must be new or empty).") Path dir;

        Up(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            ctx.out().println("Starting the sandbox (about 5 seconds)…");
            try {
                new Sandbox(dir(dir)).up().forEach(ctx.out()::println);
            } catch (IOException e) {
                throw new CommandFailedException("the sandbox did not start: " + e.getMessage());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "break", mixinStandardHelpOptions = true, description = "Cause an incident: primary-ca (stop the primary CA) or reload (make the next reload ineffective).")
    static final class Break implements Callable<Integer> {
        private final CliContext ctx;
        @Parameters(paramLabel = "WHAT", description = "primary-ca or reload") String what;
        @Option(names = "--dir", paramLabel = "DIR", description = "The sandbox folder given to sandbox up (default: ~/certops-sandbox).") Path dir;

        Break(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            Sandbox s = new Sandbox(dir(dir));
            try {
                ctx.out().println(switch (what) {
                    case "primary-ca" -> s.breakPrimaryCa();
                    case "reload" -> s.breakReload();
                    default -> throw new CommandFailedException("'" + what + "' cannot be broken — allowed: primary-ca, reload", ExitCodes.USAGE);
                });
            } catch (IOException e) {
                throw new CommandFailedException(e.getMessage());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop everything the sandbox started (by process id) and remove its folder.")
    static final class Down implements Callable<Integer> {
        private final CliContext ctx;
        @Option(names = "--dir", paramLabel = "DIR", description = "The sandbox folder given to sandbox up (default: ~/certops-sandbox).") Path dir;

        Down(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            try {
                new Sandbox(dir(dir)).down().forEach(ctx.out()::println);
            } catch (IOException e) {
                throw new CommandFailedException(e.getMessage());
            }
            return ExitCodes.OK;
        }
    }
}
