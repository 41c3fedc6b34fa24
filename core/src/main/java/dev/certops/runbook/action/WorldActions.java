package dev.certops.runbook.action;

import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.session.Session;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code issue} and {@code revoke}. Their previews are complete (CA and directory, names, key, serial,
 * reason) and go through the run's {@link dev.certops.runbook.DrillPolicy}; each executes through the
 * acme issuance/revocation service. Until that service is part of the build the step fails
 * with a message that says so, after the drill policy has been applied.
 */
final class WorldActions {
    private WorldActions() { }

    /** One of the four, with its preview and its service. */
    static final class Action implements RunbookAction {
        private final String type;
        private final Session session;
        private final Previewer previewer;
        private final String service;

        interface Previewer { ActionPreview preview(CertopsConfig cfg, StepContext ctx) throws RunbookException; }

        Action(String type, Session session, String service, Previewer previewer) {
            this.type = type;
            this.session = session;
            this.service = service;
            this.previewer = previewer;
        }

        @Override public String type() { return type; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException { return previewer.preview(Lookup.config(session), ctx); }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            ActionPreview p = preview(ctx); // applies the drill policy: a drill fails here before anything else
            return StepOutcome.Failed.of(type + " needs the " + service + " service, which this build of certops does not include yet ("
                    + p.summary() + ")", "do it by hand (the preview lists what to do), then skip this step with a reason");
        }
    }

    static Action issue(Session s) {
        return new Action("issue", s, "ACME issuance", (cfg, ctx) -> {
            List<String> lines = new ArrayList<>();
            boolean newKey = ctx.arg("new-key").map(Boolean::parseBoolean).orElse(false);
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                CaConfig ca = Lookup.ca(cfg, ctx, c);
                URI dir = ctx.drillPolicy().directory(ca, ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
                lines.add(c.id() + ": order " + String.join(", ", c.names()) + " from CA '" + ca.id() + "' at " + dir
                        + " (" + c.key() + (newKey || !c.reuseKey() ? ", new key" : ", same key") + ", "
                        + c.challenge().map(Object::toString).orElse("default challenge") + ")");
            }
            return new ActionPreview("Issue " + lines.size() + " certificate(s)", lines, true);
        });
    }

    static Action revoke(Session s) {
        return new Action("revoke", s, "ACME revocation", (cfg, ctx) -> {
            String reason = ctx.arg("reason").orElse("unspecified");
            List<String> lines = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                CaConfig ca = Lookup.ca(cfg, ctx, c);
                URI dir = ctx.drillPolicy().directory(ca, ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
                lines.add(c.id() + ": revoke serial " + ctx.arg("serial").filter(x -> !x.isBlank()).orElse("(current)") + " at CA '" + ca.id()
                        + "' (" + dir + "), reason " + reason);
            }
            return new ActionPreview("Revoke " + lines.size() + " certificate(s), reason " + reason, lines, true);
        });
    }
}
