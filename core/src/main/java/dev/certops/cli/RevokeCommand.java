package dev.certops.cli;

import dev.certops.acme.IssuanceService;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.RevokePlan;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops revoke CERT_ID [--version N] --reason ...}. */
@Command(name = "revoke",
        description = "Revoke a stored version at the CA that issued it (key-compromise signs with the certificate's own key).")
final class RevokeCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.") boolean help;
    @Parameters(paramLabel = "CERT_ID", description = "The certificate's id in certops.yaml.") String certificate;
    @Option(names = "--version", paramLabel = "N", description = "The stored version (default: the newest).") Integer version;
    @Option(names = "--reason", required = true, paramLabel = "REASON",
            description = "unspecified, key-compromise, superseded or cessation-of-operation.") String reason;

    RevokeCommand(CliContext ctx) { this.ctx = ctx; }

    @Override
    public Integer call() throws Exception {
        IssuanceService.RevocationReason r = IssuanceService.RevocationReason.of(reason).orElseThrow(() -> new CommandFailedException(
                "--reason: '" + reason + "' is not a reason — allowed: " + String.join(", ", IssuanceService.RevocationReason.cliNames()), ExitCodes.USAGE));
        ctx.config();
        try (HeldLeases lease = ctx.lease(certificate, "revoke", "certops revoke " + certificate + ", reason " + r.cliName())) {
            RevokePlan plan = ctx.operations().planRevoke(certificate, Optional.ofNullable(version), r);
            var v = ctx.operations().executeRevoke(plan);
            ctx.out().printf("Revoked %s version %d (serial %s) at %s, reason %s.%n", certificate, v.number(), v.serial(), v.ca(), r.cliName());
            if (r == IssuanceService.RevocationReason.KEY_COMPROMISE) {
                ctx.out().println("Next: issue with a new key and deploy it: ./certops runbook run key-compromise --param certificate=" + certificate + " --param serial=" + v.serial());
            }
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        } catch (CommandFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandFailedException("the revocation did not go through: " + e.getMessage() + " — nothing was changed; check the CA and retry");
        }
    }
}
