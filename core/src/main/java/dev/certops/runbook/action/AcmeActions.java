package dev.certops.runbook.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.acme.CertificateVersions;
import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.acme.IssueRequest;
import dev.certops.acme.dns.DnsRouting;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ChallengeConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.Durations;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.IssuePlan;
import dev.certops.operations.RevokePlan;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import dev.certops.words.Words;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code issue} and {@code revoke}. Their previews are complete (CA and directory, names, key, serial,
 * reason) and go through the run's {@link dev.certops.runbook.DrillPolicy}; each executes through the
 * ACME issuance service (failover, CAA, budget guard) — in a drill always against staging directories.
 */
final class AcmeActions {
    private AcmeActions() { }

    /** One of the four, with its preview and its service. */
    static final class Action implements RunbookAction {
        private final String type;
        private final CoreServices session;
        private final Previewer previewer;
        private final String service;

        private final Executor executor;
        private final CertificateOperations operations;

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

        Action(String type, CoreServices session, CertificateOperations operations, String service, Previewer previewer, Executor executor) {
            this.operations = operations;
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
                return StepLeases.forStep(operations, session, ctx, type, () -> executor.execute(cfg, ctx));
            } catch (RunbookException e) {
                throw e;
            } catch (Exception e) {
                return StepOutcome.Failed.of(service + " failed: " + e.getMessage(),
                        "read the reason above; retry the step, or skip it with a reason (the preview lists what it would do)");
            }
        }
    }

    static Action issue(CoreServices s, CertificateOperations ops) {
        StepPlans<IssuePlan> plans = new StepPlans<>(); // the gate's plan is the one issued: its CAs in its order
        return new Action("issue", s, ops, "ACME issuance", (cfg, ctx) -> {
            List<String> lines = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                IssuePlan plan = issuePlan(plans, ops, cfg, ctx, c);
                CaConfig ca = Lookup.ca(cfg, ctx, c);
                URI dir = ctx.drillPolicy().directory(ca, ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
                lines.add(c.id() + ": order " + String.join(", ", c.names()) + " from CA '" + ca.id() + "' at " + dir
                        + (plan.cas().size() > 1 ? ", failing over to " + String.join(", then ", plan.cas().subList(1, plan.cas().size()).stream()
                                .map(x -> "'" + x.id() + "'").toList()) : "")
                        + " (" + c.key() + (plan.freshKey() || !c.reuseKey() ? ", new key" : ", same key") + ", "
                        + c.challenge().map(ChallengeConfig::describe).orElse("default challenge") + ")");
                c.challenge().flatMap(ChallengeConfig::dns).ifPresent(dns -> {
                    DnsRouting routing = DnsRouting.of(cfg, dns, s.secrets(), s.clock());
                    for (String name : c.names()) lines.add("  dns-01 TXT for " + name + ": " + routing.plan(name).line());
                });
            }
            return new ActionPreview("Issue " + Words.count(Lookup.certificates(cfg, ctx).size(), "certificate"), lines, true);
        }, (cfg, ctx) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            List<String> issued = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                IssuePlan plan = issuePlan(plans, ops, cfg, ctx, c);
                if (plan.request().ca().isPresent()) recordFailover(s, ctx, c, cfg.casFor(c), plan.firstCa());
                CertificateVersions.Version v = ops.executeIssue(plan, (ca, stage, msg) -> ctx.log(ca + ": " + msg), Optional.empty());
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
     * A step's issuance: staging in a drill, only the CA the step names (no failover) when it names one, a new key when asked —
     * the plan its preview showed, or a new one when none was previewed.
     */
    private static IssuePlan issuePlan(StepPlans<IssuePlan> plans, CertificateOperations ops, CertopsConfig cfg, StepContext ctx, CertificateConfig c)
            throws RunbookException {
        IssueRequest req = IssueRequest.of(c.id()).staging(ctx.drill() || ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
        if (ctx.arg("ca").filter(x -> !x.isBlank()).isPresent()) req = req.onlyFrom(Lookup.ca(cfg, ctx, c).id());
        FailoverPolicy policy = FailoverPolicy.defaults().withDeadline(ctx.arg("deadline").flatMap(Durations::parse).orElse(Duration.ofMinutes(10)));
        boolean freshKey = ctx.arg("new-key").map(Boolean::parseBoolean).orElse(false);
        try {
            return plans.keep(ctx, c.id(), req.ca().orElse("") + "|" + req.staging() + "|" + freshKey + "|" + policy.deadline(),
                    ops.planIssue(req, policy, freshKey));
        } catch (ConfigException | IllegalArgumentException e) {
            throw new RunbookException(e.getMessage(), e);
        }
    }

    /**
     * After a crash mid-issue: done when every certificate of the step was issued (and stored) since the
     * interrupted step started, from the CA the step names and in the same mode (staging or not);
     * otherwise the step runs again, and the issuance service re-attaches to a pending order.
     */
    private static final ObjectMapper JSON = Json.mapper();

    static Optional<StepOutcome> issuedBeforeInterruption(CoreServices s, CertopsConfig cfg, StepContext ctx) throws Exception {
        if (ctx.interruptedSince().isEmpty()) return Optional.empty();
        boolean staging = ctx.drill() || ctx.arg("staging").map(Boolean::parseBoolean).orElse(false);
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> issued = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            Optional<String> ca = ctx.arg("ca").filter(x -> !x.isBlank()).isPresent() ? Optional.of(Lookup.ca(cfg, ctx, c).id()) : Optional.empty();
            JsonNode found = null;
            for (var e : s.history().query(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED)
                    .subject(c.id()).since(ctx.interruptedSince().get()))) {
                var d = JSON.readTree(e.details());
                // kind() matches by prefix: the equality keeps a later "acme.certificate.issued-..." kind out
                if (!e.kind().equals(EventKinds.ACME_CERT_ISSUED) || d.path("staging").asBoolean() != staging) continue;
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

    static Action revoke(CoreServices s, CertificateOperations ops) {
        StepPlans<RevokePlan> plans = new StepPlans<>(); // the gate's plan is the one revoked: its version and serial
        return new Action("revoke", s, ops, "ACME revocation", (cfg, ctx) -> {
            String reason = ctx.arg("reason").orElse("unspecified");
            List<String> lines = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                Optional<RevokePlan> plan;
                try {
                    plan = revokePlan(plans, ops, c, ctx, false);
                } catch (Exception e) {
                    plan = Optional.empty(); // the execution says why
                }
                if (plan.isPresent()) {
                    CertificateVersions.Version v = plan.get().version();
                    lines.add(c.id() + ": revoke serial " + v.serial() + " (version " + v.number() + ") at CA '" + v.ca() + "'"
                            + (v.staging() ? " (staging)" : "") + ", reason " + reason);
                    continue;
                }
                CaConfig ca = Lookup.ca(cfg, ctx, c);
                URI dir = ctx.drillPolicy().directory(ca, ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
                lines.add(c.id() + ": revoke serial " + ctx.arg("serial").filter(x -> !x.isBlank()).orElse("(current)") + " at CA '" + ca.id()
                        + "' (" + dir + "), reason " + reason);
            }
            return new ActionPreview("Revoke " + Words.count(lines.size(), "certificate") + ", reason " + reason, lines, true);
        }, (cfg, ctx) -> {
            Map<String, Object> out = new LinkedHashMap<>();
            List<String> serials = new ArrayList<>();
            RevocationReason reason = null;
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                RevokePlan plan = revokePlan(plans, ops, c, ctx, true).orElseThrow();
                reason = plan.reason();
                CertificateVersions.Version v = ops.executeRevoke(plan);
                serials.add(v.serial());
                out.put("serial", v.serial());
                out.put("certificate", c.id());
            }
            out.put("set.revoked-serials", serials);
            return new StepOutcome.Succeeded("revoked " + Words.named(serials, "serial") + " (" + (reason == null ? "unspecified" : reason.cliName()) + ")", out);
        });
    }

    /**
     * What a revoke step revokes: the stored version with the step's serial, else the newest. Empty (for the
     * preview) when that version is not stored yet — an earlier step issues it; the execution then says why. Once previewed,
     * the plan the preview showed (a version stored since does not change what is revoked).
     */
    private static Optional<RevokePlan> revokePlan(StepPlans<RevokePlan> plans, CertificateOperations ops, CertificateConfig c, StepContext ctx,
                                                   boolean required)
            throws Exception {
        String reasonName = ctx.arg("reason").filter(x -> !x.isBlank()).orElse("unspecified");
        RevocationReason reason = RevocationReason.of(reasonName).orElseThrow(() -> new RunbookException(
                "'" + reasonName + "' is not a revocation reason — allowed: " + String.join(", ", RevocationReason.cliNames())));
        Optional<String> serial = ctx.arg("serial").filter(x -> !x.isBlank());
        try {
            Optional<Integer> version = serial.isPresent() ? ops.versionWithSerial(c.id(), serial.get()) : Optional.empty();
            if (serial.isPresent() && version.isEmpty()) {
                if (!required) return Optional.empty();
                throw new RunbookException("no stored version of '" + c.id() + "' has serial " + serial.get());
            }
            return Optional.of(plans.keep(ctx, c.id(), serial.orElse("") + "|" + reason, ops.planRevoke(c.id(), version, reason)));
        } catch (IllegalArgumentException e) {
            if (!required) return Optional.empty();
            throw e;
        }
    }

    /**
     * A step that issues from a CA other than the certificate's primary is a failover the operator
     * approved: recorded as {@code acme.failover} like the issuance service's own, so the run's report
     * lists it among the decisions.
     */
    private static void recordFailover(CoreServices s, StepContext ctx, CertificateConfig c, List<CaConfig> cas, CaConfig chosen) throws Exception {
        if (cas.isEmpty() || cas.get(0).id().equals(chosen.id())) return;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", cas.get(0).id());
        d.put("to", chosen.id());
        d.put("reason", "runbook run " + ctx.runId() + " issues from '" + chosen.id() + "' instead of the primary '" + cas.get(0).id() + "'"
                + (ctx.drill() ? " (drill, staging)" : ""));
        d.put("run", ctx.runId());
        s.history().append(new NewEvent(EventKinds.ACME_FAILOVER, c.id(), "info", d));
    }
}
