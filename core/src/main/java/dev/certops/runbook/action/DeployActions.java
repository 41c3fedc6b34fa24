package dev.certops.runbook.action;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigException;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostOutcome;
import dev.certops.deploy.RolloutResult;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.deploy.WorkspaceVersions;
import dev.certops.history.HistoryException;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.DeployPlan;
import dev.certops.operations.RollbackPlan;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.words.Words;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code deploy: { certificate: ID, wave: canary|rest|all, version: N }} and
 * {@code rollback: { certificate: ID }} over the operations layer ({@link CertificateOperations}): the release swap
 * with config test, reload and TLS verification per host. The hosts go through the run's
 * {@link dev.certops.runbook.DrillPolicy} first; the preview is the deployer's own dry run (every
 * remote command per host) once a version exists. A rollback outputs {@code serial} (the certificate
 * live again) and {@code replaced-serial} (the one taken down) when every host agrees.
 */
final class DeployActions {
    private DeployActions() { }

    /** The hosts of the chosen wave(s), in wave order, after the drill policy. */
    static List<HostConfig> hosts(CertopsConfig cfg, StepContext ctx, CertificateConfig c) throws RunbookException {
        return ctx.drillPolicy().hosts(waveHosts(cfg, ctx, c));
    }

    /** The hosts of the wave(s) a step names ({@code wave: canary|rest|all}, default all), in wave order. */
    static List<HostConfig> waveHosts(CertopsConfig cfg, StepContext ctx, CertificateConfig c) throws RunbookException {
        String wave = ctx.arg("wave").filter(w -> !w.isBlank()).orElse("all");
        List<List<String>> waves = switch (wave) {
            case "canary" -> c.waves().isEmpty() ? List.of() : List.of(c.waves().get(0));
            case "rest" -> c.waves().size() < 2 ? List.of() : c.waves().subList(1, c.waves().size());
            case "all" -> c.waves();
            default -> throw new RunbookException("wave: '" + wave + "' — allowed: canary, rest, all");
        };
        List<HostConfig> hosts = new ArrayList<>();
        for (List<String> w : waves) for (String id : w) hosts.add(Lookup.host(cfg, id));
        return hosts;
    }

    static final class Deploy implements RunbookAction {
        private final CoreServices session;
        private final CertificateOperations operations;
        /**
         * The plan each previewed deploy executes, made once when its preview is built: the gate shows the very
         * plan (release, hosts, version) that is then deployed (by run, item, certificate, version, wave).
         */
        private final StepPlans<DeployPlan> plans = new StepPlans<>();
        Deploy(CoreServices session, CertificateOperations operations) {
            this.session = session;
            this.operations = operations;
        }

        /** The step's plan for one certificate: the one its preview showed, or a new one when none was previewed. */
        DeployPlan plan(StepContext ctx, CertificateConfig c, List<HostConfig> hosts) throws RunbookException, DeployException {
            DeployPlan fresh;
            try {
                fresh = operations.planDeploy(c.id(), ctx.arg("version").filter(v -> !v.isBlank()), ids(hosts), DeploySettings.DEFAULT, Optional.empty());
            } catch (ConfigException | HistoryException e) {
                throw new RunbookException(e.getMessage(), e);
            }
            return plans.keep(ctx, c.id(), fresh.version() + "|" + ctx.arg("wave").orElse("all"), fresh);
        }
        @Override public String type() { return "deploy"; }

        @Override
        public Optional<StepOutcome> recheck(StepContext ctx) throws RunbookException { return recheckDeploy(session, ctx); }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            List<String> lines = new ArrayList<>();
            int hostCount = 0;
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                List<HostConfig> hosts = hosts(cfg, ctx, c);
                hostCount += hosts.size();
                Optional<DeployPlan> plan = Optional.empty();
                try {
                    if (!hosts.isEmpty()) plan = Optional.of(plan(ctx, c, hosts));
                } catch (DeployException e) {
                    plan = Optional.empty();
                }
                if (plan.isEmpty()) {
                    hosts.forEach(h -> lines.add(c.id() + " → " + h.id() + ": upload a new release, swap the live link, " + h.testCommand()
                            + ", " + h.reloadCommand() + ", TLS check (the version is issued by an earlier step)"));
                    continue;
                }
                try {
                    lines.add(plan.get().summary());
                    for (HostOutcome o : plan.get().preview()) {
                        lines.add(c.id() + " version " + plan.get().version() + " → " + o.hostId() + ":");
                        if (o instanceof HostOutcome.Planned p) p.commands().forEach(cmd -> lines.add("    " + cmd));
                    }
                } catch (DeployException e) {
                    lines.add(c.id() + ": cannot deploy — " + e.getMessage());
                }
            }
            if (hostCount == 0) {
                lines.add("no host to deploy to" + (ctx.drill() ? ": none of the certificate's hosts is tagged drill: true" : ": the wave has no hosts"));
                return ActionPreview.nothingToChange("Deploy to no host" + (ctx.drill() ? " (drill hosts only)" : "") + " — nothing will change", lines);
            }
            return new ActionPreview("Deploy to " + Words.count(hostCount, "host") + (ctx.drill() ? " (drill hosts only)" : ""), lines, true);
        }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            return leased(operations, session, ctx, "deploy", this::deployAll);
        }

        private StepOutcome deployAll(StepContext ctx) throws RunbookException {
            Tally t = eachCertificate(session, ctx, (c, hosts, tally) -> {
                if (hosts.isEmpty()) return;
                try {
                    DeployPlan plan = plan(ctx, c, hosts);
                    RolloutResult r = operations.executeDeploy(plan,
                            (host, state, reason) -> ctx.log(host + ": " + state.words() + (reason.isEmpty() ? "" : " — " + reason))).rollout();
                    for (HostOutcome o : r.hosts()) {
                        if (o.ok()) tally.done.add(c.id() + "@" + o.hostId());
                        else tally.problems.add(o.summary());
                    }
                    tally.out.put("version", plan.version());
                    tally.out.put("release", plan.release());
                    tally.out.put("serial", Served.serial(plan.bundle().leaf()));
                } catch (DeployException e) {
                    tally.problems.add(c.id() + ": " + e.getMessage());
                }
            });
            t.out.put("deployed", t.done);
            t.out.put("verified", t.problems.isEmpty() && !t.done.isEmpty());
            if (!t.problems.isEmpty()) {
                return new StepOutcome.Failed(String.join("; ", t.problems), "hosts that failed were rolled back; fix the cause and retry, or abort", t.out);
            }
            if (t.done.isEmpty()) return new StepOutcome.Succeeded("nothing to deploy: no host in this wave", t.out);
            return new StepOutcome.Succeeded("deployed and verified on " + Words.counted(t.done, "host"), t.out);
        }
    }

    /**
     * After a crash mid-deploy: done only when every endpoint of every targeted host already serves the
     * version's leaf (then nothing is deployed again); otherwise the engine deploys again, which
     * swaps to a fresh release and leaves the host consistent.
     */
    static Optional<StepOutcome> recheckDeploy(CoreServices session, StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        TlsProbe probe = TlsProbe.withDefaults();
        List<String> deployed = new ArrayList<>();
        String serial = null;
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            DeployBundle b;
            try {
                b = new WorkspaceVersions(session.workspace(), session.secrets()).load(c.id(), ctx.arg("version").filter(v -> !v.isBlank()));
                serial = Served.serial(b.leaf());
            } catch (DeployException e) {
                return Optional.empty();
            }
            for (HostConfig h : hosts(cfg, ctx, c)) {
                var endpoints = ServedEndpoints.BY_ADDRESS.endpointsFor(h, c);
                if (endpoints.isEmpty()) return Optional.empty();
                for (var e : endpoints) {
                    Served s = Served.probe(probe, e);
                    if (!s.serial().map(serial::equals).orElse(false)) return Optional.empty();
                }
                deployed.add(c.id() + "@" + h.id());
            }
        }
        if (deployed.isEmpty()) return Optional.empty();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployed", deployed);
        out.put("verified", true);
        out.put("serial", serial);
        return Optional.of(new StepOutcome.Succeeded("found already live and served after the interruption: " + Lookup.join(deployed), out));
    }

    static final class Rollback implements RunbookAction {
        private final CoreServices session;
        private final CertificateOperations operations;
        private final StepPlans<RollbackPlan> plans = new StepPlans<>();
        Rollback(CoreServices session, CertificateOperations operations) {
            this.session = session;
            this.operations = operations;
        }
        @Override public String type() { return "rollback"; }

        @Override
        public ActionPreview preview(StepContext ctx) throws RunbookException {
            CertopsConfig cfg = Lookup.config(session);
            List<String> lines = new ArrayList<>();
            for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
                for (HostConfig h : hosts(cfg, ctx, c)) {
                    lines.add(rollbackPlan(ctx, c, h).preview());
                }
            }
            if (lines.isEmpty()) return ActionPreview.nothingToChange("Roll back no host — nothing will change", List.of("no host to roll back"));
            return new ActionPreview("Roll back " + Words.count(lines.size(), "host"), lines, true);
        }

        @Override
        public StepOutcome execute(StepContext ctx) throws RunbookException {
            return leased(operations, session, ctx, "rollback", this::rollBackAll);
        }

        private StepOutcome rollBackAll(StepContext ctx) throws RunbookException {
            Map<String, String> restoredSerials = new LinkedHashMap<>();
            Map<String, String> replacedSerials = new LinkedHashMap<>();
            Tally t = eachCertificate(session, ctx, (c, hosts, tally) -> {
                for (HostConfig h : hosts) {
                    try {
                        HostOutcome o = operations.executeRollback(rollbackPlan(ctx, c, h), (host, s, w) -> ctx.log(host + ": " + s.words() + " — " + w));
                        if (o instanceof HostOutcome.RolledBack rb && rb.restoredVerified()) {
                            tally.done.add(c.id() + "@" + h.id());
                            restoredSerials.put(c.id() + "@" + h.id(), rb.restoredSerial().orElse(UNREADABLE));
                            replacedSerials.put(c.id() + "@" + h.id(), rb.replacedSerial().orElse(UNREADABLE));
                        } else {
                            tally.problems.add(o.summary());
                        }
                    } catch (DeployException e) {
                        tally.problems.add(c.id() + "@" + h.id() + ": " + e.getMessage());
                    }
                }
            });
            Map<String, Object> out = t.out;
            out.put("rolledBack", t.done);
            out.put("verified", t.problems.isEmpty() && !t.done.isEmpty());
            // one serial when every host went back to the same certificate: later steps verify and revoke by it;
            // otherwise the step says why there is none, and a later step needing it fails with that
            Map<String, String> missing = new LinkedHashMap<>();
            oneSerial(out, missing, "serial", "live again", restoredSerials);
            oneSerial(out, missing, "replaced-serial", "taken back", replacedSerials);
            if (!missing.isEmpty()) out.put(StepContext.MISSING, missing);
            if (!t.problems.isEmpty()) return new StepOutcome.Failed(String.join("; ", t.problems), "check the host by hand (`certops hosts check`), then retry or skip with a reason", out);
            return new StepOutcome.Succeeded("previous release live and verified on " + Lookup.join(t.done)
                    + (missing.isEmpty() ? "" : "; " + String.join("; ", missing.values())), out);
        }

        /** The step's rollback of one host: the plan its preview showed, or a new one when none was previewed. */
        private RollbackPlan rollbackPlan(StepContext ctx, CertificateConfig c, HostConfig h) throws RunbookException {
            try {
                return plans.keep(ctx, c.id(), h.id(), operations.planRollback(c.id(), h.id(), Optional.empty()));
            } catch (ConfigException e) {
                throw new RunbookException(e.getMessage(), e);
            }
        }

        private static final String UNREADABLE = "(unreadable)";

        private static void oneSerial(Map<String, Object> out, Map<String, String> missing, String key, String which, Map<String, String> byHost) {
            Set<String> distinct = new LinkedHashSet<>(byHost.values());
            if (distinct.size() == 1 && !distinct.contains(UNREADABLE)) {
                out.put(key, distinct.iterator().next());
            } else if (!byHost.isEmpty()) {
                out.put(key + "s", byHost);
                List<String> each = new ArrayList<>();
                byHost.forEach((host, serial) -> each.add(host + " = " + serial));
                missing.put(key, "the certificates " + which + " are not one serial (" + String.join(", ", each) + ") — "
                        + "check each host (`certops hosts check`), roll them to one release, then skip the steps that need one serial with a reason");
            }
        }
    }

    interface StepWork { StepOutcome run(StepContext ctx) throws RunbookException; }

    /** What a deploy or rollback step did: each certificate@host done, each problem, and the step's outputs. */
    static final class Tally {
        final List<String> done = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        final Map<String, Object> out = new LinkedHashMap<>();
    }

    interface PerCertificate { void run(CertificateConfig c, List<HostConfig> hosts, Tally tally) throws RunbookException, HistoryException; }

    /** Runs {@code work} for each certificate of the step with the hosts of its wave(s); a history that cannot be opened stops the step. */
    static Tally eachCertificate(CoreServices session, StepContext ctx, PerCertificate work) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        Tally t = new Tally();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            try {
                work.run(c, hosts(cfg, ctx, c), t);
            } catch (HistoryException e) {
                throw new RunbookException("history cannot be opened: " + e.getMessage(), e);
            }
        }
        return t;
    }

    /** Runs the step holding a lease on each of its certificates (see {@link StepLeases}). */
    static StepOutcome leased(CertificateOperations operations, CoreServices session, StepContext ctx, String operation, StepWork work)
            throws RunbookException {
        return StepLeases.<RunbookException>forStep(operations, session, ctx, operation, () -> work.run(ctx));
    }

    private static Set<String> ids(List<HostConfig> hosts) {
        Set<String> s = new LinkedHashSet<>();
        hosts.forEach(h -> s.add(h.id()));
        return s;
    }
}
