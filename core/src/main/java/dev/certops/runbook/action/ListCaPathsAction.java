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
import dev.certops.services.CoreServices;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code list-ca-paths: { certificates: [ids], set: NAME }}: every way each certificate can be issued —
 * one item {@code CERT@CA} per CA it may use, primary first, then the secondaries in order — published
 * as {@code set.NAME} (default {@code set.ca-paths}) for a group that issues, deploys and verifies
 * through each ({@code ${item.certificate}}, {@code ${item.ca}}). In a drill every path must have a
 * staging directory: a gap is reported here, before anything is issued.
 */
final class ListCaPathsAction implements RunbookAction {
    private final CoreServices session;

    ListCaPathsAction(CoreServices session) { this.session = session; }

    @Override public String type() { return "list-ca-paths"; }

    private record Path(String item, CaConfig ca) { }

    private List<Path> paths(CertopsConfig cfg, StepContext ctx) throws RunbookException {
        List<Path> out = new ArrayList<>();
        for (CertificateConfig c : Lookup.certificates(cfg, ctx)) {
            List<CaConfig> cas = cfg.casFor(c);
            if (cas.isEmpty()) throw new RunbookException("certificate '" + c.id() + "' has no CA to issue from — add one under cas: in certops.yaml");
            for (CaConfig ca : cas) out.add(new Path(c.id() + "@" + ca.id(), ca));
        }
        return out;
    }

    @Override
    public ActionPreview preview(StepContext ctx) throws RunbookException {
        List<String> lines = new ArrayList<>();
        for (Path p : paths(Lookup.config(session), ctx)) lines.add(p.item() + " — " + where(ctx, p.ca()));
        return new ActionPreview("List the " + Words.count(lines.size(), "CA path") + " to exercise (read-only)", lines, false);
    }

    private static String where(StepContext ctx, CaConfig ca) {
        try {
            return ctx.drillPolicy().directory(ca, false).toString();
        } catch (RunbookException e) {
            return "NO STAGING DIRECTORY: " + e.getMessage();
        }
    }

    @Override
    public StepOutcome execute(StepContext ctx) throws RunbookException {
        List<Path> paths = paths(Lookup.config(session), ctx);
        List<String> items = paths.stream().map(Path::item).toList();
        List<String> gaps = new ArrayList<>();
        for (Path p : paths) {
            if (ctx.drill() && p.ca().staging().isEmpty() && !gaps.contains(p.ca().id())) gaps.add(p.ca().id());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("set." + ctx.arg("set").filter(s -> !s.isBlank()).orElse("ca-paths"), items);
        out.put("paths", items.size());
        if (!gaps.isEmpty()) {
            return new StepOutcome.Failed("the drill cannot exercise " + Words.named(gaps, "CA") + ": no staging directory",
                    "add 'staging: URL' to " + String.join(", ", gaps) + " under cas: in certops.yaml (a drill never uses a production CA), "
                            + "or take the CA out of the drill certificates' cas: lists; then retry", out);
        }
        return new StepOutcome.Succeeded(Words.counted(items, "CA path"), out);
    }
}
