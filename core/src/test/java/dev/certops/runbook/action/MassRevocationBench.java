package dev.certops.runbook.action;

import dev.certops.root.CompositionRoot;
import dev.certops.runbook.Run;
import dev.certops.runbook.RunListener;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.runbook.RunbookEngine;
import dev.certops.runbook.RunbookLoader;
import dev.certops.runbook.StepState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in mass-revocation runbook over 20 certificates, each live on 2 hosts (canary wave, then the
 * other, on another address), against the runbook tests' real lab: Pebble issuing DNS-01 through challtestsrv, one nginx
 * serving the 40 sites, deploys through the local host target with its config test and reload. Every
 * run selects all 20, renews, deploys and verifies them (63 steps), the renew gate approved at once as
 * `runbook run --yes` does. Prints each run's wall time and where it went, with the items one at a time
 * (the engine before forEach items ran side by side) and at the default concurrency.
 */
@Tag("bench")
class MassRevocationBench {
    private static final int CERTIFICATES = 20;
    private static final long TARGET_MS = 5_000;

    @TempDir Path dir;

    @Test
    void massRevocationOverTwentyCertificatesOnTwoHostsEach() throws Exception {
        quietLikeTheCommand();
        try (RunbookLab lab = new RunbookLab(dir)) {
            StringBuilder certs = new StringBuilder();
            for (int i = 0; i < CERTIFICATES; i++) {
                RunbookLab.Site a = lab.site("h" + i + "a", 1, "s" + i + ".example.com", false);
                RunbookLab.Site b = lab.site("h" + i + "b", 2, "s" + i + ".example.com", false); // another machine: its own address
                certs.append("""
                          - id: c%d
                            names: [s%d.example.com]
                            challenge: { type: dns-01, dns: lab }
                            deploy: { waves: [[h%da], [h%db]] }
                            endpoints: [%s, %s]
                        """.formatted(i, i, i, i, a.endpointYaml(), b.endpointYaml()));
            }
            lab.startNginx();
            try (CompositionRoot session = lab.workspace("none", certs.toString())) {
                once(session, RunbookEngine.DEFAULT_ITEMS_AT_ONCE, "warm-up (JIT, ACME account)");
                int atOnce = RunbookEngine.DEFAULT_ITEMS_AT_ONCE;
                List<Long> sideBySide = new ArrayList<>();
                for (int r = 0; r < 3; r++) sideBySide.add(once(session, atOnce, "run " + (r + 1) + ", as shipped (renew " + atOnce + ", deploy and verify 20 at once)"));
                long oneAtATime = once(session, 1, "items one at a time (as before)");
                long all = once(session, CERTIFICATES, "all " + CERTIFICATES + " items at once");
                long median = sideBySide.stream().sorted().toList().get(1);
                System.out.printf("MassRevocationBench: %d certificates x 2 hosts, 63 steps: items one at a time %d ms; as shipped %s ms, median %d ms"
                                + " (target <= %d ms: %s); all %d at once %d ms%n", CERTIFICATES, oneAtATime, sideBySide, median,
                        TARGET_MS, median <= TARGET_MS ? "met" : "MISSED", CERTIFICATES, all);
            }
        }
    }

    /**
     * Library logging as the CLI has it (WARN; the test classpath's default logs acme4j at DEBUG, ~17,000
     * lines a bench); the deploy's per-server test-and-reload line stays, to see how entries were grouped.
     */
    private static void quietLikeTheCommand() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("dev.certops.deploy.ServiceGate").setLevel(Level.DEBUG);
        }
    }

    /** One whole run to the end; prints where its time went by step. Returns its wall time in ms. */
    private static long once(CompositionRoot session, int itemsAtOnce, String label) throws Exception {
        var actions = RunbookActions.forSession(session, session.operations());
        var def = new RunbookCatalog(session.workspace(), new RunbookLoader(actions.types())).find("mass-revocation");
        if (itemsAtOnce == 1) { // as before: every step's items one at a time, whatever the built-in says
            def = new RunbookLoader(actions.types()).parse(Path.of(def.source()), def.source(), def.text().replaceAll("concurrency: \\d+", "concurrency: 1"));
        }
        RunbookEngine engine = new RunbookEngine(actions, session.history(), session.clock()).itemsAtOnce(itemsAtOnce);
        long t0 = System.nanoTime();
        Run run = engine.start(def, Map.of("configured-ca", "main-ca"), false, RunListener.NONE);
        RunState s = run.advance();
        while (s.status() == RunState.Status.WAITING_APPROVAL) s = run.approveBatch();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (s.status() != RunState.Status.SUCCEEDED) {
            throw new AssertionError(label + ": the run " + s.status() + ": " + String.join("; ", s.steps().stream()
                    .filter(x -> x.status() == StepState.Status.FAILED).limit(3).map(x -> x.key() + " " + x.summary()).toList()));
        }
        long steps = s.steps().size();
        long verified = s.steps().stream().filter(x -> x.stepId().equals("verify") && x.status() == StepState.Status.SUCCEEDED).count();
        if (steps != 3 * CERTIFICATES + 3 || verified != CERTIFICATES) throw new AssertionError(label + ": " + steps + " steps, " + verified + " verified");
        Map<String, String> phases = new LinkedHashMap<>();
        for (String step : List.of("select", "plan", "renew", "deploy", "verify", "report-scheduled")) {
            List<StepState> of = s.steps().stream().filter(x -> x.stepId().equals(step)).toList();
            Instant first = of.stream().flatMap(x -> x.startedAt().stream()).min(Instant::compareTo).orElseThrow();
            Instant last = of.stream().flatMap(x -> x.finishedAt().stream()).max(Instant::compareTo).orElseThrow();
            long eachMs = (long) of.stream().mapToLong(x -> Duration.between(x.startedAt().orElseThrow(), x.finishedAt().orElseThrow()).toMillis())
                    .average().orElse(0);
            phases.put(step, Duration.between(first, last).toMillis() + " ms" + (of.size() > 1 ? " (" + of.size() + " items, " + eachMs + " ms each)" : ""));
        }
        System.out.printf("MassRevocationBench: %s: %d ms — %s%n", label, ms, phases);
        return ms;
    }
}
