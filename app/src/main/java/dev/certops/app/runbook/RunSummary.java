package dev.certops.app.runbook;

import dev.certops.report.RunReport;
import dev.certops.words.Words;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A finished run's end screen: one headline and labelled facts (new serial, CA, expiry, hosts verified,
 * time to recover), read from the run's report (history), and the certificate the Estate should show.
 *
 * @param headline    what happened, in one sentence
 * @param facts       label → value, in reading order
 * @param certificate the certificate the run was about ("Show in the Estate"), when there is one
 * @param succeeded   the run succeeded (the headline is green, else red)
 */
public record RunSummary(String headline, Map<String, String> facts, Optional<String> certificate, boolean succeeded) {
    public RunSummary { facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts)); }

    /** The summary of {@code r} as of {@code now} (for "expires in N days"). */
    public static RunSummary of(RunReport r, Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        Set<String> certificates = new LinkedHashSet<>();
        r.issued().forEach(i -> certificates.add(i.certificate()));
        Optional.ofNullable(r.params().get("certificate")).filter(c -> !c.isBlank()).ifPresent(certificates::add);
        if (!certificates.isEmpty()) facts.put("Certificate", Words.list(certificates));
        // the newest issuance per certificate: a drill issues from each CA path, the last is what stays
        Map<String, RunReport.Issued> latest = new LinkedHashMap<>();
        r.issued().forEach(i -> latest.put(i.certificate(), i));
        if (latest.isEmpty()) {
            facts.put("New serial", "none: this run issued no certificate");
        } else {
            facts.put("New serial", join(latest.values().stream().map(i -> prefix(latest, i) + i.serial()).toList()));
            List<String> cas = latest.values().stream().map(RunReport.Issued::ca).distinct().toList();
            facts.put("CA", cas.size() == 1 ? cas.get(0) : join(latest.values().stream().map(i -> prefix(latest, i) + i.ca()).toList()));
            facts.put("Expires", join(latest.values().stream().map(i -> prefix(latest, i) + expiry(i.notAfter(), now)).toList()));
        }
        List<String> verified = new ArrayList<>(new LinkedHashSet<>(r.deployments().stream().filter(RunReport.Deployment::verified)
                .map(d -> hostOf(d.target(), certificates.size() > 1)).toList()));
        long deployed = r.deployments().stream().map(RunReport.Deployment::target).distinct().count();
        facts.put("Hosts verified", verified.isEmpty() ? (deployed == 0 ? "none: this run deployed nowhere" : "none of " + Words.count(deployed, "host") + " deployed")
                : Words.counted(verified, "host"));
        facts.put("Time to recover", r.timeToRecover().map(Words::elapsed).orElse("not recovered: no deployment of this run was verified"));
        facts.put("Run took", Words.elapsed(r.duration()) + ", started " + Words.instant(r.startedAt()));
        boolean ok = r.status().equals("SUCCEEDED");
        String what = certificates.isEmpty() ? "" : " for " + Words.list(certificates);
        String headline = switch (r.status()) {
            case "SUCCEEDED" -> ok && !verified.isEmpty()
                    ? "Recovered" + what + ": " + (latest.isEmpty() ? "" : "issued by " + join(latest.values().stream().map(RunReport.Issued::ca).distinct().toList()) + ", ")
                    + "served and verified on " + Words.count(verified.size(), "host") + "."
                    : "The run" + what + " succeeded.";
            case "ABORTED" -> "The run" + what + " was aborted: what it did is listed below and in the report.";
            default -> "The run" + what + " did not succeed: " + r.steps().stream().filter(s -> s.status().equals("FAILED")).map(s -> s.title() + " failed — " + s.summary())
                    .reduce((a, b) -> b).orElse("it stopped before the end") + ".";
        };
        return new RunSummary(headline, facts, certificates.size() == 1 ? Optional.of(certificates.iterator().next()) : Optional.empty(), ok);
    }

    private static String prefix(Map<String, RunReport.Issued> latest, RunReport.Issued i) {
        return latest.size() > 1 ? i.certificate() + ": " : "";
    }

    private static String join(List<String> parts) { return String.join(" · ", parts); }

    /** "web1" from "api@web1" (the certificate is said once, above), "api on web1" when the run touched several. */
    private static String hostOf(String target, boolean many) {
        int at = target.indexOf('@');
        if (at < 0) return target;
        return many ? target.substring(0, at) + " on " + target.substring(at + 1) : target.substring(at + 1);
    }

    private static String expiry(String notAfter, Instant now) {
        try {
            Instant at = Instant.parse(notAfter);
            long days = Duration.between(now, at).toDays();
            return Words.instant(at) + " (in " + Words.count(days, "day") + ")";
        } catch (DateTimeParseException e) {
            return notAfter.isBlank() ? "not recorded" : notAfter;
        }
    }
}
