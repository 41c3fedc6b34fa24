package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.acme.dns.CaaChecker;
import dev.certops.acme.dns.CaaIdentities;
import dev.certops.acme.dns.CaaVerdict;
import dev.certops.acme.dns.Resolvers;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code check-caa: { certificates: [..], ca: secondary }}: do the names' CAA records let this CA issue? */
final class CheckCaaAction implements RunbookAction {
    private final CoreServices session;
    CheckCaaAction(CoreServices session) { this.session = session; }
    @Override public String type() { return "check-caa"; }

    private static String identity(CaConfig ca) throws RunbookException {
        return CaaIdentities.of(ca).orElseThrow(() -> new RunbookException("CA '" + ca.id()
                + "' has no known CAA identity — add 'caaIdentity: issuer.example' to it in certops.yaml"));
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        List<String> lines = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            CaConfig ca = Lookup.ca(cfg, ctx, c);
            lines.add(c.id() + ": CAA of " + String.join(", ", c.names()) + " must allow " + identity(ca) + " (CA " + ca.id() + ")");
        }
        return new ActionPreview("Look up CAA records (DNS, read-only)", lines, false);
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        CaaChecker checker = new CaaChecker(Resolvers.of(cfg.resolvers()));
        List<String> blocked = new ArrayList<>();
        List<String> allowed = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            CaConfig ca = Lookup.ca(cfg, ctx, c);
            CaaVerdict v = checker.check(c.names(), identity(ca));
            ctx.log(c.id() + ": " + v.summary());
            if (v.allowed()) allowed.add(c.id());
            else blocked.add(c.id() + ": " + v.summary());
        }
        Map<String, Object> out = Map.of("allowed", allowed, "blocked", blocked);
        if (!blocked.isEmpty()) {
            return new StepOutcome.Failed("CAA does not allow the CA for " + String.join("; ", blocked), out.isEmpty() ? "" :
                    "add a CAA record for the CA's identity (or pick a CA the records allow), wait for the TTL, then retry", out);
        }
        return new StepOutcome.Succeeded("CAA allows the CA for " + Words.count(allowed.size(), "certificate"), out);
    }
}
