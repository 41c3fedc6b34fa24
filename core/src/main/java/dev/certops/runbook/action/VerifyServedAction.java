package dev.certops.runbook.action;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.scan.TlsProbe;
import dev.certops.session.Session;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.deploy.ServedEndpoints;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify-served: { certificate: ID, serial: .., not-serial: .., wave: canary|rest|all }}: a TLS
 * handshake with every endpoint of the certificate (or of the wave's hosts) proves the new serial is served ({@code serial}) and/or that an old one
 * is served nowhere ({@code not-serial}, after a key compromise).
 */
final class VerifyServedAction implements RunbookAction {
    private final Session session;
    private final TlsProbe probe;

    VerifyServedAction(Session session, TlsProbe probe) {
        this.session = session;
        this.probe = probe;
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

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        Optional<String> want = ctx.arg("serial").filter(s -> !s.isBlank()).map(Served::normalize);
        Optional<String> banned = ctx.arg("not-serial").filter(s -> !s.isBlank()).map(Served::normalize);
        if (want.isEmpty() && banned.isEmpty()) throw new RunbookException("verify-served needs 'serial:' (what must be served) or 'not-serial:' (what must not)");
        List<String> bad = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int count = 0;
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            for (Endpoint e : endpoints(cfg, ctx, c)) {
                Served s = Served.probe(probe, e);
                count++;
                seen.add(s.toString());
                ctx.log(s.toString());
                if (s.serial().isEmpty()) bad.add(s.endpoint() + ": " + s.problem().orElse("no answer"));
                else if (want.isPresent() && !want.get().equals(s.serial().get())) bad.add(s.endpoint() + " serves " + s.serial().get() + ", not " + want.get());
                else if (banned.isPresent() && banned.get().equals(s.serial().get())) bad.add(s.endpoint() + " still serves the old serial " + banned.get());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoints", seen);
        out.put("verified", bad.isEmpty());
        if (count == 0) {
            return StepOutcome.Failed.of("the certificate lists no endpoints to verify" + wave(ctx).map(w -> " served by the hosts of wave '" + w + "'").orElse(""),
                    "add endpoints: to it in certops.yaml (an endpoint belongs to the host whose address it names)");
        }
        if (!bad.isEmpty()) {
            return new StepOutcome.Failed(bad.size() + " of " + count + " endpoint(s) wrong: " + String.join("; ", bad),
                    "check the host's reload and symlink; roll back if the new certificate is bad, then retry", out);
        }
        return new StepOutcome.Succeeded("all " + count + " endpoint(s) verified"
                + want.map(w -> ", serving " + w).orElse("") + banned.map(b -> ", old serial " + b + " served nowhere").orElse(""), out);
    }
}
