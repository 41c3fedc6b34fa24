package dev.certops.renew;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Prometheus textfile written by {@code renew --prom FILE} (node_exporter textfile collector
 * format), replaced atomically so a scraper never reads half a file.
 *
 * @param lastRun      when this run ended
 * @param lastSuccess  when a run last ended with every due certificate renewed (this one or an earlier one)
 * @param expiry       per certificate id: the current certificate's notAfter
 * @param failures     per certificate id: failed renewals so far (a counter)
 */
public record RenewMetrics(Instant lastRun, Optional<Instant> lastSuccess, Map<String, Instant> expiry, Map<String, Long> failures) {

    public String render() {
        StringBuilder b = new StringBuilder();
        gauge(b, "certops_renew_last_run_timestamp_seconds", "When the last renew run ended.");
        b.append("certops_renew_last_run_timestamp_seconds ").append(lastRun.getEpochSecond()).append('\n');
        gauge(b, "certops_renew_last_success_timestamp_seconds", "When a renew run last ended with nothing failed.");
        b.append("certops_renew_last_success_timestamp_seconds ").append(lastSuccess.map(Instant::getEpochSecond).orElse(0L)).append('\n');
        gauge(b, "certops_certificate_expiry_timestamp_seconds", "notAfter of each managed certificate's current certificate.");
        new TreeMap<>(expiry).forEach((id, t) -> b.append("certops_certificate_expiry_timestamp_seconds{certificate=\"")
                .append(escape(id)).append("\"} ").append(t.getEpochSecond()).append('\n'));
        b.append("# HELP certops_renew_failures_total Failed renewals per certificate.\n# TYPE certops_renew_failures_total counter\n");
        new TreeMap<>(failures).forEach((id, n) -> b.append("certops_renew_failures_total{certificate=\"")
                .append(escape(id)).append("\"} ").append(n).append('\n'));
        return b.toString();
    }

    /** Writes to a sibling temporary file, then moves it over {@code file}. */
    public void writeAtomically(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, render(), StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void gauge(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" gauge\n");
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
