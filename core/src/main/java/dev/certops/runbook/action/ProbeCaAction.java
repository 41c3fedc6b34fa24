package dev.certops.runbook.action;

import dev.certops.config.CaConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.TrustAnchors;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.RunbookAction;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepOutcome;
import dev.certops.services.CoreServices;
import dev.certops.words.Causes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * {@code probe-ca: { ca: primary, expect: up|down|any }}: GET the CA's directory (staging in a drill)
 * trusting its configured anchor: reachability, latency, HTTP status. A probe that confirms an
 * outage succeeds with {@code expect: down} (or {@code any}); outputs {@code reachable}, {@code status}, {@code latencyMs}.
 */
final class ProbeCaAction implements RunbookAction {
    private final CoreServices session;
    ProbeCaAction(CoreServices session) { this.session = session; }
    @Override public String type() { return "probe-ca"; }

    private CaConfig ca(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        String id = ctx.arg("ca").orElse("primary");
        if (id.equals("primary") || id.equals("secondary")) {
            int i = id.equals("primary") ? 0 : 1;
            if (cfg.cas().size() <= i) throw new RunbookException("certops.yaml has no " + id + " CA (cas: lists " + cfg.cas().size() + ")");
            return cfg.cas().get(i);
        }
        return Lookup.ca(cfg, id);
    }

    private URI directory(StepContext ctx, CaConfig ca) throws RunbookException {
        return ctx.drillPolicy().directory(ca, ctx.arg("staging").map(Boolean::parseBoolean).orElse(false));
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        CaConfig ca = ca(ctx);
        return ActionPreview.readOnly("GET the directory of CA '" + ca.id() + "' (read-only)",
                "GET " + directory(ctx, ca), "trust: " + ca.trust().orElse("the system trust store"), "expect: " + ctx.arg("expect").orElse("up"));
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        CaConfig ca = ca(ctx);
        URI dir = directory(ctx, ca);
        String expect = ctx.arg("expect").orElse("up");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ca", ca.id());
        out.put("directory", dir.toString());
        SSLContext ssl;
        try {
            ssl = ssl(ca);
        } catch (IOException e) {
            // the CA was never asked: this is certops.yaml's problem, whatever the step expects of the CA
            out.put("problem", e.getMessage());
            return new StepOutcome.Failed("CA '" + ca.id() + "' was not probed: " + e.getMessage(),
                    "fix the trust: entry of CA '" + ca.id() + "' in certops.yaml (a readable PEM file of its root certificate), "
                            + "then retry the step", out);
        }
        long start = System.nanoTime();
        String problem = null;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ssl).build();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(dir).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            out.put("status", r.statusCode());
            if (r.statusCode() != 200) problem = "answered HTTP " + r.statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (Exception e) {
            problem = "unreachable: " + Causes.of(e);
        }
        out.put("latencyMs", Duration.ofNanos(System.nanoTime() - start).toMillis());
        out.put("reachable", problem == null);
        // the answer time is in the outputs (latencyMs); the step's own time is printed beside its summary
        String summary = "CA '" + ca.id() + "' at " + dir + (problem == null ? " is up" : " " + problem);
        if (problem != null) out.put("problem", problem);
        boolean asExpected = expect.equals("any") || (expect.equals("up") == (problem == null));
        if (!asExpected) {
            return new StepOutcome.Failed(summary + ", expected " + expect, expect.equals("up")
                    ? "check the CA's status page and your network; the runbook for a CA outage is primary-ca-outage"
                    : "the CA answers again: the outage may be over — skip with a reason or abort", out);
        }
        return new StepOutcome.Succeeded(summary, out);
    }

    private SSLContext ssl(CaConfig ca) throws IOException {
        return TrustAnchors.sslContext(ca.trust().map(t -> session.workspace().resolve(t)));
    }
}
