package dev.certops.cli;

import dev.certops.acme.CertificateVersions;
import dev.certops.acme.Http01Responder;
import dev.certops.acme.IssuanceException;
import dev.certops.parallel.Batch;
import dev.certops.operations.CertificateBatch;
import dev.certops.operations.IssuePlan;
import dev.certops.words.Causes;
import dev.certops.words.Words;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code certops issue A B C …}: the certificates issued at once in this process ({@link CertificateBatch}),
 * one line per certificate as it ends — its CA, serial and not-after, or why not in words — then a summary.
 * Exit 0 when every one was issued, 2 when any was not (78 when every failure is a CA certificate to trust).
 */
final class IssueMany {
    /** Decides one certificate's issuance (usage errors surface here, before anything is ordered). */
    interface Planner {
        IssuePlan plan(String certificateId) throws Exception;
    }

    private final CliContext ctx;
    private final int concurrency;

    IssueMany(CliContext ctx, int concurrency) {
        this.ctx = ctx;
        this.concurrency = concurrency;
    }

    int issue(List<String> ids, Planner planner, Http01Responder responder) throws Exception {
        try (responder) {
            List<IssuePlan> plans = new ArrayList<>();
            for (String id : ids) plans.add(planner.plan(id));
            PrintWriter out = ctx.out();
            Map<String, Long> perCa = plans.stream().collect(Collectors.groupingBy(p -> p.cas().isEmpty() ? "no CA" : p.firstCa().id(),
                    LinkedHashMap::new, Collectors.counting()));
            out.println("Issuing " + Words.count(plans.size(), "certificate") + ", up to " + Math.min(concurrency, plans.size()) + " at once; CA tried first: "
                    + Words.list(perCa.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList()));
            int width = ids.stream().mapToInt(String::length).max().orElse(0);
            long start = System.nanoTime();
            List<Batch.Outcome<IssuePlan, CertificateVersions.Version>> outcomes = new CertificateBatch(ctx.operations(), concurrency)
                    .issue(plans, "certops issue", Optional.ofNullable(responder), out::println, o -> out.println(line(o, width)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            List<String> issued = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            boolean onlyConfig = true;
            for (var o : outcomes) {
                if (o.ok()) {
                    issued.add(o.item().certificateId());
                } else {
                    failed.add(o.item().certificateId());
                    onlyConfig &= o.failure().get() instanceof IssuanceException e && IssueCommand.configProblem(e);
                }
            }
            out.println((failed.isEmpty() ? "Issued all " + Words.count(issued.size(), "certificate")
                    : "Issued " + issued.size() + " of " + plans.size() + "; " + failed.size() + " failed: " + String.join(", ", failed))
                    + " (" + Words.elapsed(took) + ").");
            if (!issued.isEmpty()) out.println("Next: ./certops deploy " + String.join(" ", issued));
            if (!failed.isEmpty()) out.println("Each step and every CA tried, for one that failed: ./certops issue " + failed.get(0));
            if (failed.isEmpty()) return ExitCodes.OK;
            return onlyConfig ? ExitCodes.CONFIG : ExitCodes.FAILED;
        }
    }

    private static String line(Batch.Outcome<IssuePlan, CertificateVersions.Version> o, int width) {
        String id = String.format("%-" + width + "s", o.item().certificateId());
        if (o.ok()) {
            CertificateVersions.Version v = o.value().orElseThrow();
            return "  " + id + "  issued by " + v.ca() + (v.staging() ? " (staging)" : "") + ": version " + v.number() + ", serial " + v.serial()
                    + ", valid until " + Words.instant(v.notAfter()) + " (" + Words.elapsed(o.took()) + ")";
        }
        return "  " + id + "  FAILED: " + reason(o.failure().get());
    }

    /** Why in one line: each CA tried and what it said, or the refusal (a lease held elsewhere, a rule of the team). */
    static String reason(Throwable t) {
        if (t instanceof IssuanceException e) {
            if (e.failures().isEmpty()) return "no CA is configured for it (cas: in certops.yaml)";
            return e.failures().stream().map(f -> f.ca() + ": " + f.message()).collect(Collectors.joining("; "));
        }
        return Causes.withContext(t);
    }
}
