package dev.certops.cli;

import dev.certops.config.CertopsConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code certops config check}. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with certops.yaml.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the workspace's certops.yaml: exit 0 when valid, 78 with file, line and key when not.")
    static final class Check implements Callable<Integer> {
        private final CliContext ctx;

        Check(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            CertopsConfig c = ctx.config();
            ctx.out().printf("%s is valid: %d CA(s), %d DNS provider(s), %d host(s), %d certificate(s), %d extra endpoint(s).%n",
                    c.file(), c.cas().size(), c.dns().size(), c.hosts().size(), c.certificates().size(), c.endpoints().size());
            return ExitCodes.OK;
        }
    }
}
