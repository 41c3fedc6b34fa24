package dev.certops.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.json.Json;
import dev.certops.words.Words;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** A run report as JSON, JUnit XML and a Prometheus textfile; {@link HtmlReport} renders the auditor's page. */
public final class ReportFormats {
    private ReportFormats() { }

    /** File names written by {@link #writeAll}. */
    public static final String JSON_FILE = "report.json";
    public static final String JUNIT_FILE = "junit.xml";
    public static final String PROM_FILE = "certops_drill.prom";
    public static final String HTML_FILE = "report.html";

    public static String json(RunReport r) throws ReportException {
        ObjectMapper m = Json.indented();
        try {
            return m.writeValueAsString(ReportJson.map(r));
        } catch (IOException e) {
            throw new ReportException("the report could not be turned into JSON: " + e.getMessage(), e);
        }
    }

    /** One test case per step; failed steps carry a {@code <failure>}, skipped ones {@code <skipped>} with the reason. */
    public static String junit(RunReport r) throws ReportException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = f.newDocumentBuilder().newDocument();
            Element suite = doc.createElement("testsuite");
            doc.appendChild(suite);
            long failures = r.steps().stream().filter(s -> s.status().equals("FAILED")).count();
            long notRun = r.steps().stream().filter(s -> !s.status().equals("FAILED") && !s.status().equals("SUCCEEDED")).count();
            suite.setAttribute("name", "certops runbook " + r.runbook() + (r.drill() ? " (drill)" : ""));
            suite.setAttribute("tests", String.valueOf(r.steps().size()));
            suite.setAttribute("failures", String.valueOf(failures));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", String.valueOf(notRun));
            suite.setAttribute("time", seconds(r.duration().toMillis()));
            suite.setAttribute("timestamp", Words.iso(r.startedAt()));
            for (RunReport.Step s : r.steps()) {
                Element tc = doc.createElement("testcase");
                tc.setAttribute("classname", "runbook." + r.runbook());
                tc.setAttribute("name", s.key() + " — " + s.title());
                tc.setAttribute("time", seconds(s.duration().map(d -> d.toMillis()).orElse(0L)));
                switch (s.status()) {
                    case "SUCCEEDED" -> { }
                    case "FAILED" -> {
                        Element fl = doc.createElement("failure");
                        fl.setAttribute("message", s.summary());
                        fl.setTextContent(s.summary() + (s.reason().isEmpty() ? "" : "\nnext step: " + s.reason()));
                        tc.appendChild(fl);
                    }
                    default -> {
                        Element sk = doc.createElement("skipped");
                        sk.setAttribute("message", !s.reason().isBlank() ? s.reason() : "not run (" + s.status().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
                        tc.appendChild(sk);
                    }
                }
                suite.appendChild(tc);
            }
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new ReportException("the JUnit report could not be built: " + e.getMessage(), e);
        }
    }

    /** certops_drill_success, certops_drill_duration_seconds, certops_drill_timestamp_seconds (and time to recover when known). */
    public static String prometheus(RunReport r) {
        String labels = "{runbook=\"" + label(r.runbook()) + "\",drill=\"" + r.drill() + "\"}";
        StringBuilder b = new StringBuilder();
        metric(b, "certops_drill_success", "1 when every step of the last run succeeded, else 0.", labels, r.success() ? "1" : "0");
        metric(b, "certops_drill_duration_seconds", "Wall time of the last run.", labels, seconds(r.duration().toMillis()));
        metric(b, "certops_drill_timestamp_seconds", "When the last run finished (Unix time).", labels,
                String.valueOf(r.finishedAt().orElse(r.startedAt().plus(r.duration())).getEpochSecond()));
        r.timeToRecover().ifPresent(t -> metric(b, "certops_drill_time_to_recover_seconds",
                "From the first step to the last verified deployment.", labels, seconds(t.toMillis())));
        return b.toString();
    }

    /** Writes the textfile atomically (temp file in the same folder, then a rename), as node_exporter requires. */
    public static void writePrometheus(RunReport r, Path file) throws ReportException {
        writeAtomically(file, prometheus(r));
    }

    /** All four formats into a folder; returns the folder. */
    public static Path writeAll(RunReport r, Path dir) throws ReportException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ReportException("cannot create the report folder " + dir + ": " + e.getMessage(), e);
        }
        writeAtomically(dir.resolve(JSON_FILE), json(r));
        writeAtomically(dir.resolve(JUNIT_FILE), junit(r));
        writeAtomically(dir.resolve(PROM_FILE), prometheus(r));
        writeAtomically(dir.resolve(HTML_FILE), HtmlReport.render(r));
        return dir;
    }

    static void writeAtomically(Path file, String text) throws ReportException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ReportException("cannot write " + file + ": " + e.getMessage() + " — check the folder exists and is writable", e);
        }
    }

    private static void metric(StringBuilder b, String name, String help, String labels, String value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append(labels).append(' ').append(value).append('\n');
    }

    private static String label(String v) { return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }

    private static String seconds(long millis) { return String.format(Locale.ROOT, "%.3f", millis / 1000.0); }
}
