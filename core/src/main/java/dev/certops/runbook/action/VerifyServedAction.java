package dev.certops.runbook.action;

import dev.certops.words.Words;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify-served: { certificate: ID, serial: .., not-serial: .., wave: canary|rest|all, settle: 10s }}: a TLS
 * handshake with every endpoint of the certificate (or of the wave's hosts) proves the new serial is served ({@code serial}) and/or that an old one
 * is served nowhere ({@code not-serial}, after a key compromise).
 */
final class VerifyServedAction implements RunbookAction {
    private final CoreServices session;
    private final TlsProbe probe;
    private final Clock clock;
    private final WaitAction.Sleeper sleeper;

    VerifyServedAction(CoreServices session, TlsProbe probe, Clock clock, WaitAction.Sleeper sleeper) {
        this.session = session;
        this.probe = probe;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override public String type() { return "verify-served"; }

    private static Optional<String> wave(StepContext ctx) throws RunbookException {
        return ctx.arg("wave").filter(w -> !w.isBlank() && !w.equals("all"));
    }

    /**
     * Every endpoint of the certificate; with {@code wave: canary|rest} only those the wave's hosts
     * serve, so the canary is checked before the rest of the fleet has the new certificate.
     */
    static List<Endpoint> endpoints(CertopsConfig cfg, StepContext ctx, CertificateConfig c) throws RunbookException {
        if (wave(ctx).isEmpty()) return c.endpoints();
        Set<Endpoint> out = new LinkedHashSet<>();
        for (HostConfig h : DeployActions.waveHosts(cfg, ctx, c)) out.addAll(ServedEndpoints.BY_ADDRESS.endpointsFor(h, c));
        return List.copyOf(out);
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        List<String> lines = new ArrayList<>();
        CertopsConfig cfg = Lookup.config(session);
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            endpoints(cfg, ctx, c).forEach(e -> lines.add("TLS handshake with " + e + " (" + c.id() + ")"));
        }
        ctx.arg("serial").filter(s -> !s.isBlank()).ifPresent(s -> lines.add("must serve serial " + s));
        ctx.arg("not-serial").filter(s -> !s.isBlank()).ifPresent(s -> lines.add("must not serve serial " + s + " anywhere"));
        return new ActionPreview("Verify what the endpoints serve (read-only)", lines, false);
    }

    /** What is wrong with what {@code s} serves, or empty when it is right. */
    private static Optional<String> wrong(Served s, Optional<String> want, Optional<String> banned) {
        if (s.serial().isEmpty()) return Optional.of(s.endpoint() + ": " + s.problem().orElse("no answer"));
        if (want.isPresent() && !want.get().equals(s.serial().get())) return Optional.of(s.endpoint() + " serves " + s.serial().get() + ", not " + want.get());
        if (banned.isPresent() && banned.get().equals(s.serial().get())) return Optional.of(s.endpoint() + " still serves the old serial " + banned.get());
        return Optional.empty();
    }

    /**
     * Handshakes until every endpoint is right or the settle time ({@code settle:}, default 10s) is
     * over: a reload is asynchronous (old workers finish their connections), and endpoints no host
     * entry serves (a load balancer) were not waited for by the deploy.
     */
    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        Optional<String> want = ctx.arg("serial").filter(s -> !s.isBlank()).map(Served::normalize);
        Optional<String> banned = ctx.arg("not-serial").filter(s -> !s.isBlank()).map(Served::normalize);
        if (want.isEmpty() && banned.isEmpty()) throw new RunbookException("verify-served needs 'serial:' (what must be served) or 'not-serial:' (what must not)");
        String settleText = ctx.arg("settle").filter(x -> !x.isBlank()).orElse("10s");
        Duration settle = Durations.parse(settleText).orElseThrow(() -> new RunbookException("settle: '" + settleText + "' is not a duration — " + Durations.ALLOWED));
        Instant deadline = clock.instant().plus(settle);
        List<Endpoint> endpoints = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) endpoints.addAll(endpoints(cfg, ctx, c));
        Served[] served = new Served[endpoints.size()];
        for (int i = 0; i < served.length; i++) served[i] = Served.probe(probe, endpoints.get(i));
        // again until all are right or the settle time is over, asking only the endpoints still wrong
        try {
            List<Integer> wrong = wrongOnes(served, want, banned);
            while (!wrong.isEmpty() && clock.instant().isBefore(deadline)) {
                ctx.progress(0, Words.count(wrong.size(), "endpoint") + " not right yet; checking again until " + Words.clock(deadline));
                sleeper.sleep(Duration.ofMillis(250));
                for (int i : wrong) served[i] = Served.probe(probe, endpoints.get(i));
                wrong = wrongOnes(served, want, banned);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> seen = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Served s : served) {
            seen.add(s.toString());
            ctx.log(s.toString());
            wrong(s, want, banned).ifPresent(bad::add);
        }
        int count = served.length;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoints", seen);
        out.put("verified", bad.isEmpty());
        if (count == 0) {
            return StepOutcome.Failed.of("the certificate lists no endpoints to verify" + wave(ctx).map(w -> " served by the hosts of wave '" + w + "'").orElse(""),
                    "add endpoints: to it in certops.yaml (an endpoint belongs to the host whose address it names)");
        }
        if (!bad.isEmpty()) {
            return new StepOutcome.Failed(bad.size() + " of " + Words.count(count, "endpoint") + " wrong after " + Words.duration(settle) + ": " + String.join("; ", bad),
                    "check the host's reload and symlink; roll back if the new certificate is bad, then retry", out);
        }
        return new StepOutcome.Succeeded((count == 1 ? "the 1 endpoint verified" : "all " + count + " endpoints verified")
                + want.map(w -> ", serving " + w).orElse("") + banned.map(b -> ", old serial " + b + " served nowhere").orElse(""), out);
    }

    private static List<Integer> wrongOnes(Served[] served, Optional<String> want, Optional<String> banned) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < served.length; i++) if (wrong(served[i], want, banned).isPresent()) out.add(i);
        return out;
    }
}
