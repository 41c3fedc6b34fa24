package dev.certops.runbook.action;

import dev.certops.words.Words;
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
import java.util.Optional;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssuanceService;
import dev.certops.acme.IssueRequest;
import dev.certops.config.Durations;

/**
 * {@code issue} and {@code revoke}. Their previews are complete (CA and directory, names, key, serial,
 * reason) and go through the run's {@link dev.certops.runbook.DrillPolicy}; each executes through the
 * ACME issuance service (failover, CAA, budget guard) — in a drill always against staging directories.
 */
final class WorldActions {
    private WorldActions() { }

    /** One of the four, with its preview and its service. */
    static final class Action implements RunbookAction {
        private final String type;
        private final Session session;
        private final Previewer previewer;
        private final String service;

        private final Executor executor;

        interface Previewer { ActionPreview preview(CertopsConfig cfg, StepContext ctx) throws RunbookException; }

        interface Executor { StepOutcome execute(CertopsConfig cfg, StepContext ctx) throws Exception; }

        interface Rechecker { Optional<StepOutcome> recheck(CertopsConfig cfg, StepContext ctx) throws Exception; }

        private Rechecker rechecker = (cfg, ctx) -> Optional.empty();

        Action withRecheck(Rechecker r) {
            this.rechecker = r;
            return this;
        }

        @Override
        public Optional<StepOutcome> recheck(StepContext ctx) throws RunbookException {
            try {
                return rechecker.recheck(Lookup.config(session), ctx);
            } catch (RunbookException e) {
                throw e;
            } catch (Exception e) {
                throw new RunbookException(service + " could not be re-checked: " + e.getMessage(), e);
            }
        }

        Action(String type, Session session, String service, Previewer previewer, Executor executor) {
            this.type = type;
            this.session = session;
            this.service = service;
            this.previewer = previewer;
            this.executor = executor;
        }

        @Override public String type() { return type; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException { return previewer.preview(Lookup.config(session), ctx); }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            preview(ctx); // applies the drill policy: a drill fails here before anything else
            try {
                CertopsConfig cfg = Lookup.config(session);
                return StepLeases.forStep(session, ctx, type, () -> executor.execute(cfg, ctx));
            } catch (RunbookException e) {
                throw e;
            } catch (Exception e) {
                return StepOutcome.Failed.of(service + " failed: " + e.getMessage(),
                        "read the reason above; retry the step, or skip it with a reason (the preview lists what it would do)");
            }
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
                        + c.challenge().map(dev.certops.config.ChallengeConfig::describe).orElse("default challenge") + ")");
                c.challenge().flatMap(dev.certops.config.ChallengeConfig::dns).ifPresent(dns -> {
                    DnsRouting routing = DnsRouting.of(cfg, dns, s.secrets(), s.clock());
                    for (String name : c.names()) lines.add("  dns-01 TXT for " + name + ": " + routing.plan(name).line());
                });
            }
            return new ActionPreview("Issue " + Words.count(Lookup.certificates(cfg, ctx).size(), "certificate"), lines, true);
        }, (cfg, ctx) -> {
            IssuanceService svc = new IssuanceService(s, FailoverPolicy.defaults().withDeadline(
                    ctx.arg("deadline").flatMap(Durations::parse).orElse(java.time.Duration.ofMinutes(10))));
            if (ctx.arg("new-key").map(Boolean::parseBoolean).orElse(false)) svc = svc.withFreshKey();
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            List<String> issued = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                IssueRequest req = IssueRequest.of(c.id()).staging(ctx.drill() || ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
                if (ctx.arg("ca").filter(x -> !x.isBlank()).isPresent()) {
                    CaConfig chosen = Lookup.ca(cfg, ctx, c);
                    req = req.onlyFrom(chosen.id());
                    recordFailover(s, ctx, c, cfg.casFor(c), chosen);
                }
                CertificateVersions.Version v = svc.issue(req, (ca, stage, msg) -> ctx.log(ca + ": " + msg));
                issued.add(c.id());
                out.put("certificate", c.id());
                out.put("ca", v.ca());
                out.put("serial", v.serial());
                out.put("notAfter", v.notAfter().toString());
                out.put("version", String.valueOf(v.number()));
            }
            out.put("set.issued", issued);
            return new StepOutcome.Succeeded("issued " + String.join(", ", issued) + " from " + out.get("ca") + " (serial " + out.get("serial") + ")", out);
        }).withRecheck((cfg, ctx) -> issuedBeforeInterruption(s, cfg, ctx));
    }

    /**
     * After a crash mid-issue: done when every certificate of the step was issued (and stored) since the
     * interrupted step started, from the CA the step names and in the same mode (staging or not);
     * otherwise the step runs again, and the issuance service re-attaches to a pending order.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Optional<StepOutcome> issuedBeforeInterruption(Session s, CertopsConfig cfg, StepContext ctx) throws Exception {
        if (ctx.interruptedSince().isEmpty()) return Optional.empty();
        boolean staging = ctx.drill() || ctx.arg("staging").map(Boolean::parseBoolean).orElse(false);
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        List<String> issued = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            Optional<String> ca = ctx.arg("ca").filter(x -> !x.isBlank()).isPresent() ? Optional.of(Lookup.ca(cfg, ctx, c).id()) : Optional.empty();
            com.fasterxml.jackson.databind.JsonNode found = null;
            for (var e : s.history().query(dev.certops.history.EventQuery.all().kind(dev.certops.history.EventKinds.ACME_CERT_ISSUED)
                    .subject(c.id()).since(ctx.interruptedSince().get()))) {
                var d = JSON.readTree(e.details());
                // kind() matches by prefix: the equality keeps a later "acme.certificate.issued-..." kind out
                if (!e.kind().equals(dev.certops.history.EventKinds.ACME_CERT_ISSUED) || d.path("staging").asBoolean() != staging) continue;
                if (ca.isPresent() && !ca.get().equals(d.path("ca").asText())) continue;
                found = d;
            }
            if (found == null) return Optional.empty();
            issued.add(c.id());
            out.put("certificate", c.id());
            out.put("ca", found.path("ca").asText());
            out.put("serial", found.path("serial").asText());
            out.put("notAfter", found.path("notAfter").asText());
            out.put("version", found.path("version").asText());
        }
        if (issued.isEmpty()) return Optional.empty();
        out.put("set.issued", issued);
        return Optional.of(new StepOutcome.Succeeded("found issued before the interruption: " + String.join(", ", issued) + " from " + out.get("ca")
                + " (serial " + out.get("serial") + "); not ordered again", out));
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
            return new ActionPreview("Revoke " + Words.count(lines.size(), "certificate") + ", reason " + reason, lines, true);
        }, (cfg, ctx) -> {
            String reasonName = ctx.arg("reason").filter(x -> !x.isBlank()).orElse("unspecified");
            IssuanceService.RevocationReason reason = IssuanceService.RevocationReason.of(reasonName).orElseThrow(() -> new RunbookException(
                    "'" + reasonName + "' is not a revocation reason — allowed: unspecified, key-compromise, superseded, cessation-of-operation"));
            IssuanceService svc = new IssuanceService(s, FailoverPolicy.defaults());
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            List<String> serials = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                Optional<Integer> version = versionOf(svc, c.id(), ctx.arg("serial").filter(x -> !x.isBlank()));
                CertificateVersions.Version v = svc.revoke(c.id(), version, reason);
                serials.add(v.serial());
                out.put("serial", v.serial());
                out.put("certificate", c.id());
            }
            out.put("set.revoked-serials", serials);
            return new StepOutcome.Succeeded("revoked " + Words.named(serials, "serial") + " (" + reason.cliName() + ")", out);
        });
    }

    /**
     * A step that issues from a CA other than the certificate's primary is a failover the operator
     * approved: recorded as {@code acme.failover} like the issuance service's own, so the run's report
     * lists it among the decisions.
     */
    private static void recordFailover(Session s, StepContext ctx, CertificateConfig c, List<CaConfig> cas, CaConfig chosen) throws Exception {
        if (cas.isEmpty() || cas.get(0).id().equals(chosen.id())) return;
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("from", cas.get(0).id());
        d.put("to", chosen.id());
        d.put("reason", "runbook run " + ctx.runId() + " issues from '" + chosen.id() + "' instead of the primary '" + cas.get(0).id() + "'"
                + (ctx.drill() ? " (drill, staging)" : ""));
        d.put("run", ctx.runId());
        s.history().append(new dev.certops.history.NewEvent(dev.certops.history.EventKinds.ACME_FAILOVER, c.id(), "info", d));
    }

    /** The stored version with this serial, or the newest when no serial is given. */
    private static Optional<Integer> versionOf(IssuanceService svc, String certificateId, Optional<String> serial) throws Exception {
        if (serial.isEmpty()) return Optional.empty();
        String wanted = serial.get().toLowerCase(java.util.Locale.ROOT).replace(":", "").replaceFirst("^0+(?=.)", "");
        for (CertificateVersions.Version v : svc.versions().list(certificateId)) {
            if (v.serial().equals(wanted)) return Optional.of(v.number());
        }
        throw new RunbookException("no stored version of '" + certificateId + "' has serial " + serial.get());
    }
}
