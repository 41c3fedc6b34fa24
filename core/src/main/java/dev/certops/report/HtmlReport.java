package dev.certops.report;

import dev.certops.words.Words;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** A self-contained HTML page (inline CSS, no scripts, every value escaped) an auditor can read offline. */
public final class HtmlReport {
    private HtmlReport() { }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:70rem;color:#1b1f24;line-height:1.45}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
            table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}.ok{color:#116329;font-weight:600}.bad{color:#a40e26;font-weight:600}.skip{color:#7d4e00;font-weight:600}
            .banner{padding:.8rem 1rem;border-radius:6px;margin:1rem 0}.banner.ok{background:#dafbe1}.banner.bad{background:#ffebe9}
            dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}code{font-size:.9em}
            """;

    public static String render(RunReport r) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc("certops " + (r.drill() ? "drill" : "runbook") + " report — " + r.runbook() + " — " + r.runId()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>").append(esc(r.title())).append("</h1>\n");
        b.append("<div class=\"banner ").append(r.success() ? "ok" : "bad").append("\">")
                .append(r.success() ? "Every step succeeded." : "Not every step succeeded: the run " + esc(r.status().toLowerCase(Locale.ROOT).replace('_', ' ')) + ".").append("</div>\n");
        b.append("<dl>");
        dt(b, "Run", "<code>" + esc(r.runId()) + "</code>");
        dt(b, "Runbook", esc(r.runbook()) + (r.drill() ? " (drill: staging CAs and drill hosts only)" : ""));
        dt(b, "Started", esc(Words.instant(r.startedAt())));
        dt(b, "Finished", esc(r.finishedAt().map(Words::instant).orElse("not finished")));
        dt(b, "Duration", esc(human(r.duration())));
        dt(b, "Time to recover", esc(r.timeToRecover().map(HtmlReport::human).orElse("no verified deployment")));
        dt(b, "By", esc(String.join(", ", r.actors())));
        r.params().forEach((k, v) -> dt(b, "Parameter " + esc(k), v.isBlank() ? "not given (the runbook's default)" : "<code>" + esc(v) + "</code>"));
        b.append("</dl>\n");

        b.append("<h2>Steps</h2>\n<table><tr><th>Step</th><th>Action</th><th>Outcome</th><th>Started</th><th>Took</th><th>By</th><th>What happened</th></tr>\n");
        for (RunReport.Step s : r.steps()) {
            String cls = switch (s.status()) { case "SUCCEEDED" -> "ok"; case "FAILED" -> "bad"; default -> "skip"; };
            b.append("<tr><td>").append(esc(s.title())).append("<br><code>").append(esc(s.key())).append("</code></td><td>").append(esc(s.action()))
                    .append("</td><td class=\"").append(cls).append("\">").append(esc(s.status().toLowerCase(Locale.ROOT).replace('_', ' ')))
                    .append("</td><td>").append(esc(s.startedAt().map(Words::instant).orElse("")))
                    .append("</td><td>").append(esc(s.duration().map(HtmlReport::human).orElse("")))
                    .append("</td><td>").append(esc(s.actor()))
                    .append("</td><td>").append(code(s.summary()))
                    .append(s.reason().isEmpty() ? "" : (s.summary().isEmpty() ? "" : "<br>") + "<em>" + code(s.reason()) + "</em>").append("</td></tr>\n");
        }
        b.append("</table>\n");

        b.append("<h2>Certificates issued</h2>\n");
        if (r.issued().isEmpty()) b.append("<p>None.</p>\n");
        else {
            b.append("<table><tr><th>Certificate</th><th>CA</th><th>Serial</th><th>Not after</th><th>Step</th></tr>\n");
            for (RunReport.Issued i : r.issued()) {
                b.append("<tr><td>").append(esc(i.certificate())).append("</td><td>").append(esc(i.ca())).append("</td><td><code>")
                        .append(esc(i.serial())).append("</code></td><td>").append(esc(instant(i.notAfter()))).append("</td><td>").append(esc(i.step())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Deployments</h2>\n");
        if (r.deployments().isEmpty()) b.append("<p>None.</p>\n");
        else {
            b.append("<table><tr><th>Target</th><th>At</th><th>Verified served</th><th>Step</th></tr>\n");
            for (RunReport.Deployment d : r.deployments()) {
                b.append("<tr><td>").append(esc(d.target())).append("</td><td>").append(esc(Words.instant(d.at()))).append("</td><td class=\"")
                        .append(d.verified() ? "ok\">yes" : "bad\">no").append("</td><td>").append(esc(d.step())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }

        b.append("<h2>Decisions</h2>\n");
        if (r.decisions().isEmpty()) b.append("<p>None: every step ran as written.</p>\n");
        else {
            b.append("<table><tr><th>When</th><th>Who</th><th>Decision</th><th>Step</th><th>Why</th></tr>\n");
            for (RunReport.Decision d : r.decisions()) {
                b.append("<tr><td>").append(esc(Words.instant(d.at()))).append("</td><td>").append(esc(d.actor())).append("</td><td>")
                        .append(esc(d.kind())).append("</td><td>").append(esc(d.step())).append("</td><td>").append(code(d.text())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append("<p><small>Built from the workspace's hash-chained history; <code>certops audit verify</code> proves it was not altered.</small></p>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void dt(StringBuilder b, String k, String v) { b.append("<dt>").append(k).append("</dt><dd>").append(v).append("</dd>"); }

    static String human(Duration d) { return Words.elapsed(d); }

    /** An ISO instant from a step's outputs as local time; other text as it is. */
    private static String instant(String iso) {
        try {
            return Words.instant(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** Escaped text whose `code spans` (commands in summaries and reasons) are set as code, not shown with backticks. */
    static String code(String s) {
        return esc(s).replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }

}
