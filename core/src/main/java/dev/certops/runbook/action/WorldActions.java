package dev.certops.runbook.action;

import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.HostConfig;
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
 * The actions that change the world — {@code issue}, {@code revoke}, {@code deploy}, {@code rollback}.
 * Their previews are complete (CA and directory, hosts per wave and the remote commands) and go
 * through the run's {@link dev.certops.runbook.DrillPolicy}; each executes through its core service
 * (acme issuance, revocation, deploy waves). Until that service is part of the build the step fails
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

    static Action deploy(Session s) {
        return new Action("deploy", s, "SSH deploy", (cfg, ctx) -> hostsPreview(cfg, ctx, "Deploy", true));
    }

    static Action rollback(Session s) {
        return new Action("rollback", s, "SSH deploy (rollback)", (cfg, ctx) -> hostsPreview(cfg, ctx, "Roll back", false));
    }

    /** Waves ({@code wave: canary|rest|all}), hosts through the drill policy, and the commands each host runs. */
    private static ActionPreview hostsPreview(CertopsConfig cfg, StepContext ctx, String verb, boolean forward) throws RunbookException {
        String wave = ctx.arg("wave").orElse("all");
        List<String> lines = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            List<List<String>> waves = switch (wave) {
                case "canary" -> c.waves().isEmpty() ? List.of() : List.of(c.waves().get(0));
                case "rest" -> c.waves().size() < 2 ? List.of() : c.waves().subList(1, c.waves().size());
                case "all" -> c.waves();
                default -> throw new RunbookException("wave: '" + wave + "' — allowed: canary, rest, all");
            };
            for (int w = 0; w < waves.size(); w++) {
                List<HostConfig> hosts = new ArrayList<>();
                for (String id : waves.get(w)) hosts.add(Lookup.host(cfg, id));
                for (HostConfig h : ctx.drillPolicy().hosts(hosts)) {
                    String where = h.isLocal() ? "local" : h.user() + "@" + h.address() + ":" + h.port();
                    String link = h.certDir() + "/" + c.id() + "/current";
                    lines.add(c.id() + " wave " + (w + 1) + ", host " + h.id() + " (" + where + "): "
                            + (forward ? "upload to " + h.certDir() + "/" + c.id() + "/releases/<new>; ln -sfn releases/<new> " + link
                                       : "ln -sfn releases/<previous> " + link)
                            + "; " + h.testCommand() + "; " + h.reloadCommand() + "; TLS check");
                }
            }
        }
        return new ActionPreview(verb + " on " + lines.size() + " host(s)" + (ctx.drill() ? " (drill hosts only)" : ""), lines, true);
    }
}
