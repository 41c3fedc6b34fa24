package dev.certops.cli;

import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import java.nio.file.FileAlreadyExistsException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code certops init}: creates a workspace with a commented example configuration. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a workspace: certops.yaml (commented example), history.db, secrets/ (mode 0700).")
final class InitCommand implements Callable<Integer> {
    private final CliContext ctx;

    InitCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        Workspace ws = ctx.workspace();
        try {
            ws.create();
        } catch (FileAlreadyExistsException e) {
            throw new CommandFailedException(ws.configFile() + " already exists: nothing was changed. Check it with `certops config check`.");
        }
        ctx.history().append(new NewEvent(EventKinds.WORKSPACE_CREATED, ws.root().toString(), "ok", Map.of()));
        ctx.out().println("Created workspace " + ws.root());
        ctx.out().println("  certops.yaml  the configuration (every section commented out: edit it, then run `certops config check`)");
        ctx.out().println("  history.db    the append-only, hash-chained history (`certops history`, `certops audit verify`)");
        ctx.out().println("  secrets/      account and private keys, mode 0600 (set CERTOPS_PASSPHRASE to encrypt them)");
        ctx.out().println("Next: open the console with ./certops --workspace " + ws.root() + " or edit certops.yaml.");
        return ExitCodes.OK;
    }
}
