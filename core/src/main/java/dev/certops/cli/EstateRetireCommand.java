package dev.certops.cli;

import dev.certops.root.Retirement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops estate retire ID --reason "..."}: closes the history of a certificate certops.yaml no longer lists. */
@Command(name = "retire", mixinStandardHelpOptions = true,
        description = {"Close the history of a certificate that certops.yaml no longer lists, so renew, status and config check stop reporting it as unmanaged.",
                "The retirement is recorded with its reason; the stored versions stay under certs/ID for audit.",
                "A version issued or stored for that id later makes it reported again."})
final class EstateRetireCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(index = "0", paramLabel = "ID", description = "The certificate id (as under certs/ and in the history).") String id;
    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why it is retired (recorded).") String reason;

    EstateRetireCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        Retirement.Retired r;
        try {
            r = Retirement.retire(ctx.config(), ctx.workspace(), ctx.history(), id, reason);
        } catch (Retirement.Refused e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        }
        ctx.out().println("Retired " + r.id() + " (history event " + r.seq() + "): "
                + (r.versions() == 0 ? "it had no stored version" : "its " + r.versions() + " stored version(s) stay under certs/" + r.id() + " for audit")
                + ". It is no longer reported as unmanaged.");
        return ExitCodes.OK;
    }
}
