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
import dev.certops.startup.StartupTrace;
import dev.certops.words.Words;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code certops issue CERT_ID... [--ca CA_ID] [--staging] [--deadline 10m] [--concurrency N]}. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a new version of a certificate over ACME, from its CAs in order (failing over by policy).",
                "Prints each step; ends with the CA, serial and not-after, or every CA tried and why. Exit 0 issued, 2 not.",
                "Several CERT_IDs are issued at once in this process (--concurrency, CAs taking turns, one login per CA): one line",
                "per certificate as it ends — CA, serial and not-after, or why not —, then a summary. Exit 2 if any failed."})
final class IssueCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Parameters(paramLabel = "CERT_ID", arity = "1..*", description = "The certificate's id in certops.yaml; give several to issue them at once.")
    List<String> certificates;
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "10", // as many as a runbook step's items at once
            description = "With several certificates: how many are issued at once (default ${DEFAULT-VALUE}); each CA gets its fair share.")
    int concurrency;
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
        if (concurrency < 1) {
            throw new CommandFailedException("--concurrency " + concurrency + " is not a number of certificates: give 1 or more "
                    + "(how many certificates are issued at once; the default is 10)", ExitCodes.USAGE);
        }
        var cfg = ctx.config();
        List<String> ids = List.copyOf(new LinkedHashSet<>(certificates));
        for (String id : ids) ctx.certificate(id); // an unknown id is a usage error naming the known ones, before anything is ordered
        if (ca != null && cfg.ca(ca).isEmpty()) throw new CommandFailedException("no CA '" + ca + "' in certops.yaml", ExitCodes.USAGE);
        InetSocketAddress listen = http01Listen == null ? null : listenAddress(http01Listen);
        FailoverPolicy policy = FailoverPolicy.defaults().withDeadline(d).failingOverOnValidationFailure(failoverOnValidationFailure);
        if (ids.size() > 1) return new IssueMany(ctx, concurrency).issue(ids, id -> plan(id, policy), listen == null ? null : startResponder(listen));
        String certificate = ids.get(0);
        IssuePlan plan = plan(certificate, policy);
        ctx.operations().openSessionsAhead(List.of(plan)); // the CA's handshake and directory while the lease and the budget are checked
        HeldLeases held;
        try (StartupTrace.Phase t = StartupTrace.phase("lease taken")) {
            held = ctx.lease(certificate, "issue", "certops issue " + certificate);
        }
        try (HeldLeases lease = held;
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
            return configProblem(e) ? ExitCodes.CONFIG : ExitCodes.FAILED;
        }
    }

    private IssuePlan plan(String certificate, FailoverPolicy policy) throws Exception {
        IssueRequest req = new IssueRequest(certificate, Optional.ofNullable(ca), staging, Optional.empty(), overrideBudget);
        return ctx.leased(() -> ctx.operations().planIssue(req, policy, false));
    }

    /** True when the issuance failed on certops.yaml's side (a CA certificate to add with trust:, a URL for another name), not the CA's. */
    static boolean configProblem(IssuanceException e) {
        return e.failures().stream().anyMatch(f -> f instanceof AcmeFailure.Misconfigured m && m.tls());
    }
}
