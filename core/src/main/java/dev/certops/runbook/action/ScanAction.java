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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code scan: { certificates: [..] }} (default every certificate): what each endpoint serves now. Read-only. */
final class ScanAction implements RunbookAction {
    private final CoreServices session;
    private final TlsProbe probe;

    ScanAction(CoreServices session, TlsProbe probe) {
        this.session = session;
        this.probe = probe;
    }

    @Override public String type() { return "scan"; }

    private List<CertificateConfig> certs(CertopsConfig cfg, StepContext ctx) throws RunbookException {
        return ctx.listArg("certificates").isEmpty() && ctx.arg("certificate").isEmpty() ? cfg.certificates() : Lookup.certificates(cfg, ctx);
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        CertopsConfig cfg = Lookup.config(session);
        List<String> lines = new ArrayList<>();
        for (CertificateConfig c : certs(cfg, ctx)) c.endpoints().forEach(e -> lines.add("TLS handshake with " + e + " (" + c.id() + ")"));
        return new ActionPreview("Scan what the endpoints serve (read-only)", lines, false);
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        List<String> lines = new ArrayList<>();
        int unreachable = 0;
        for (CertificateConfig c : certs(Lookup.config(session), ctx)) {
            for (Served s : Served.probeAll(probe, c)) {
                lines.add(c.id() + " " + s);
                if (s.serial().isEmpty()) unreachable++;
            }
        }
        return new StepOutcome.Succeeded(Words.count(lines.size(), "endpoint") + " scanned, " + unreachable + " unreachable", Map.of("served", lines));
    }
}
