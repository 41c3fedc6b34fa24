package dev.certops.cli;

import dev.certops.team.AllowedSigners;
import dev.certops.team.TeamPolicy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code certops team record}: an admin signs the team folder into history. */
@Command(name = "team", mixinStandardHelpOptions = true, description = "Who may do what: " + AllowedSigners.FILE + " and " + TeamPolicy.FILE + ".",
        subcommands = {TeamCommand.Record.class})
final class TeamCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    @Command(name = "record", mixinStandardHelpOptions = true,
            description = "Record " + AllowedSigners.FILE + " and " + TeamPolicy.FILE + " as they are now (admins only; signed). "
                    + "Until then a change of either refuses every change of the world.")
    static final class Record implements Callable<Integer> {
        private final CliContext ctx;

        Record(CliContext ctx) { this.ctx = ctx; }

        @Override
        public Integer call() throws Exception {
            ctx.config();
            ctx.history();
            var event = ctx.session().team().recordSigners();
            if (event.isEmpty()) {
                ctx.out().println("Nothing to record: the team folder is as last recorded.");
            } else {
                ctx.out().printf("Recorded the team folder as event %d, signed by %s: from now on these signers and roles are in force.%n",
                        event.get().seq(), ctx.actor());
            }
            return ExitCodes.OK;
        }
    }
}
