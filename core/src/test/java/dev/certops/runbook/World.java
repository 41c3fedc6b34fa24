package dev.certops.runbook;

import dev.certops.config.HostConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seam the engine tests use in place of the real services: actions that record what they did
 * to a small "world" (calls, deployed targets), so tests can assert what was and was not touched.
 */
final class World {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> deployed = Collections.synchronizedMap(new LinkedHashMap<>());
    final AtomicInteger failuresLeft = new AtomicInteger();
    final Map<String, HostConfig> hosts = new LinkedHashMap<>();
    boolean crashNextTouch;
    /** Crash (after recording the call, before the swap took effect) when touching this target. */
    String crashBefore = "";
    int rechecks;

    /** Thrown by an action to stand for the JVM dying mid-step (not caught by the engine). */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
        SimulatedCrash() { super("simulated kill -9"); }
    }

    ActionRegistry registry() {
        return new ActionRegistry().register(publish()).register(touch()).register(flaky()).register(deploy());
    }

    static HostConfig host(String id, boolean drill) {
        return new HostConfig(id, drill, HostConfig.LOCAL, 22, "certops", Optional.empty(), Optional.empty(), Optional.empty(),
                "nginx", Optional.empty(), Optional.empty(), "/tmp/" + id, Optional.empty(), 3);
    }

    /** publish: { set: NAME, items: a,b,c } → outputs set.NAME. */
    private RunbookAction publish() {
        return new Simple("publish") {
            @Override public StepOutcome execute(StepContext ctx) throws RunbookException {
                calls.add("publish");
                return new StepOutcome.Succeeded("published", Map.of("set." + ctx.requireArg("set"), ctx.listArg("items")));
            }
        };
    }

    /** The touch target whose preview changes nothing (a wave without hosts). */
    static final String NOBODY = "nobody";

    /** touch: { target: X } → records X, outputs deployed: X; may crash once; target {@value #NOBODY} changes nothing. */
    private RunbookAction touch() {
        return new RunbookAction() {
            @Override public String type() { return "touch"; }
            @Override public ActionPreview preview(StepContext ctx) throws RunbookException {
                if (ctx.requireArg("target").equals(NOBODY)) return ActionPreview.nothingToChange("touch no host — nothing will change", List.of("no host"));
                return new ActionPreview("will touch " + ctx.requireArg("target"), List.of("host " + ctx.requireArg("target") + ": ln -sfn release current"), true);
            }
            @Override public StepOutcome execute(StepContext ctx) throws RunbookException {
                String t = ctx.requireArg("target");
                calls.add("touch " + t);
                if (t.equals(crashBefore)) {
                    crashBefore = "";
                    throw new SimulatedCrash();
                }
                deployed.put(t, ctx.runId());
                if (crashNextTouch) {
                    crashNextTouch = false;
                    throw new SimulatedCrash();
                }
                return new StepOutcome.Succeeded("touched " + t, Map.of("deployed", t));
            }
            @Override public Optional<StepOutcome> recheck(StepContext ctx) throws RunbookException {
                rechecks++;
                String t = ctx.requireArg("target");
                return deployed.containsKey(t) ? Optional.of(new StepOutcome.Succeeded("found " + t + " already done", Map.of("deployed", t))) : Optional.empty();
            }
        };
    }

    /** flaky: fails while failuresLeft > 0. */
    private RunbookAction flaky() {
        return new Simple("flaky") {
            @Override public StepOutcome execute(StepContext ctx) {
                calls.add("flaky");
                if (failuresLeft.getAndDecrement() > 0) return StepOutcome.Failed.of("CA answered 503", "retry in a minute");
                return StepOutcome.Succeeded.of("worked");
            }
        };
    }

    /** deploy: { hosts: a,b } → goes through the run's DrillPolicy before touching anything. */
    private RunbookAction deploy() {
        return new Simple("deploy") {
            @Override public StepOutcome execute(StepContext ctx) throws RunbookException {
                List<HostConfig> targets = new ArrayList<>();
                for (String id : ctx.listArg("hosts")) targets.add(hosts.get(id));
                for (HostConfig h : ctx.drillPolicy().hosts(targets)) deployed.put(h.id(), ctx.runId());
                return new StepOutcome.Succeeded("deployed", Map.of("deployed", ctx.listArg("hosts")));
            }
        };
    }

    private abstract static class Simple implements RunbookAction {
        private final String type;
        Simple(String type) { this.type = type; }
        @Override public String type() { return type; }
        @Override public ActionPreview preview(StepContext ctx) { return ActionPreview.readOnly(type + " preview"); }
    }
}
