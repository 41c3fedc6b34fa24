package dev.certops.cli;

import dev.certops.acme.AcmeFailure;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.Http01Responder;
import dev.certops.acme.IssuanceException;
import dev.certops.acme.IssuanceListener;
import dev.certops.acme.IssueRequest;
import dev.certops.config.Durations;
import dev.certops.operations.HeldLeases;
import dev.certops.operations.IssuePlan;
import dev.certops.words.Words;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops issue CERT_ID [--ca CA_ID] [--staging] [--deadline 10m]}. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a new version of a certificate over ACME, from its CAs in order (failing over by policy).",
                "Prints each step; ends with the CA, serial and not-after, or every CA tried and why. Exit 0 issued, 2 not."})
final class IssueCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(paramLabel = "CERT_ID", description = "The certificate's id in certops.yaml.") String certificate;
    @Option(names = "--ca", paramLabel = "CA_ID", description = "Only this CA (no failover).") String ca;
    @Option(names = "--staging", description = "Use the CAs' staging directories (drills; production limits untouched).") boolean staging;
    @Option(names = "--deadline", paramLabel = "DURATION", description = "How long you can wait (a Retry-After past it moves to the next CA). Default: 10m.")
    String deadline = "10m";
    @Option(names = "--override-budget", description = "Go past the rate-limit safety line (never past the CA's own limit).") boolean overrideBudget;
    @Option(names = "--failover-on-validation-failure",
            description = "Move to the next CA when a CA cannot validate a name (default: stop — the next CA usually sees the same, and each order costs budget).")
    boolean failoverOnValidationFailure;
    @Option(names = "--http01-listen", paramLabel = "ADDRESS:PORT",
            description = "Answer HTTP-01 with the built-in responder listening here (this machine, usually 0.0.0.0:80) instead of a host's webroot.")
    String http01Listen;

    IssueCommand(CliContext ctx) { this.ctx = ctx; }

    private static InetSocketAddress listenAddress(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon < 1) throw new NumberFormatException();
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 1 || port > 65535) throw new NumberFormatException();
            return new InetSocketAddress(value.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new CommandFailedException("--http01-listen: '" + value + "' is not ADDRESS:PORT — e.g. 0.0.0.0:80", ExitCodes.USAGE);
        }
    }

    private static Http01Responder startResponder(InetSocketAddress address) {
        try {
            return Http01Responder.start(address);
        } catch (IOException e) {
            throw new CommandFailedException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration d = Durations.parse(deadline).orElseThrow(() -> new CommandFailedException("--deadline: '" + deadline + "' is not a duration — " + Durations.ALLOWED, ExitCodes.USAGE));
        var cfg = ctx.config();
        ctx.certificate(certificate); // an unknown id is a usage error naming the known ones
        if (ca != null && cfg.ca(ca).isEmpty()) throw new CommandFailedException("no CA '" + ca + "' in certops.yaml", ExitCodes.USAGE);
        InetSocketAddress listen = http01Listen == null ? null : listenAddress(http01Listen);
        IssueRequest req = new IssueRequest(certificate, Optional.ofNullable(ca), staging, Optional.empty(), overrideBudget);
        IssuePlan plan = ctx.leased(() -> ctx.operations().planIssue(req, FailoverPolicy.defaults().withDeadline(d)
                .failingOverOnValidationFailure(failoverOnValidationFailure), false));
        try (HeldLeases lease = ctx.lease(certificate, "issue", "certops issue " + certificate);
             Http01Responder responder = listen == null ? null : startResponder(listen)) {
            IssuanceListener progress = (caLabel, stage, msg) -> ctx.out().printf("  [%s] %-13s %s%n", caLabel,
                    stage.name().toLowerCase(Locale.ROOT).replace('_', ' '), msg);
            CertificateVersions.Version v = ctx.operations().executeIssue(plan, progress, Optional.ofNullable(responder));
            ctx.out().printf("Issued %s version %d from %s%s: serial %s, valid until %s%n", certificate, v.number(), v.ca(),
                    v.staging() ? " (staging)" : "", v.serial(), Words.instant(v.notAfter()));
            ctx.out().printf("Next: ./certops deploy %s%n", certificate);
            return ExitCodes.OK;
        } catch (IssuanceException e) {
            ctx.out().println(e.getMessage());
            // a CA certificate to add with trust: is certops.yaml's problem, not the CA's
            boolean config = e.failures().stream().anyMatch(f -> f instanceof AcmeFailure.Misconfigured m && m.untrustedTls());
            return config ? ExitCodes.CONFIG : ExitCodes.FAILED;
        }
    }
}
