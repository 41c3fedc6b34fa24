package dev.certops.runbook.action;

import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.dns.DnsTest;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.DnsConfig;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dns-test}: runs {@code certops dns test} for every DNS provider a dns-01 certificate uses, with
 * the first name of the first such certificate: publish a random TXT, see it on every authoritative
 * server, remove it. Nothing a CA sees; no rate limit spent. Providers no certificate uses are listed
 * as not tested (there is no name to test them with).
 */
final class DnsTestAction implements RunbookAction {
    private final CoreServices session;

    DnsTestAction(CoreServices session) { this.session = session; }

    @Override public String type() { return "dns-test"; }

    /** provider id → the name to test it with, in certops.yaml order. */
    private static Map<String, String> targets(CertopsConfig cfg) {
        Map<String, String> out = new LinkedHashMap<>();
        for (DnsConfig d : cfg.dns()) {
            for (CertificateConfig c : cfg.certificates()) {
                if (c.challenge().flatMap(ChallengeConfig::dns).filter(d.id()::equals).isPresent()) {
                    out.put(d.id(), c.names().get(0));
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        List<String> lines = new ArrayList<>();
        targets(cfg).forEach((provider, name) -> lines.add(provider + ": publish a random TXT for " + name
                + ", see it on every authoritative server, remove it"));
        if (lines.isEmpty()) lines.add("no certificate uses dns-01: nothing to test");
        return new ActionPreview("Test every DNS provider (a random TXT record, removed again)", lines, false);
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        List<String> worked = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        targets(cfg).forEach((provider, name) -> {
            DnsTest.Report report = new DnsTest(DnsRouting.of(cfg, provider, session.secrets(), session.clock()), session.clock()).run(provider, name);
            report.steps().forEach(s -> ctx.log(provider + ": " + s));
            (report.ok() ? worked : failed).add(report.summary());
        });
        for (DnsConfig d : cfg.dns()) {
            if (!targets(cfg).containsKey(d.id())) ctx.log(d.id() + ": not tested, no certificate uses it (test it with ./certops dns test " + d.id() + " --name NAME)");
        }
        Map<String, Object> out = Map.of("worked", worked, "failed", failed);
        if (!failed.isEmpty()) {
            return new StepOutcome.Failed(String.join("; ", failed), "fix the provider (credentials, zone, name servers), then run "
                    + "./certops dns test PROVIDER --name NAME until it passes", out);
        }
        return new StepOutcome.Succeeded(worked.isEmpty() ? "no certificate uses dns-01: nothing to test"
                : worked.size() + " DNS provider(s) work: " + String.join("; ", worked), out);
    }
}
