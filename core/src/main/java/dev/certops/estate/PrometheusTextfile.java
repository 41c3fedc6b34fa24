package dev.certops.estate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The estate as a node_exporter textfile (textfile collector format): days-left and status gauges
 * labelled by certificate, endpoint and host. Status gauges are one-hot: one series per status, 1
 * for the current one. Written to a temporary file in the same folder and renamed, so the
 * collector never reads half a file.
 */
public final class PrometheusTextfile {
    private PrometheusTextfile() { }

    public static String render(EstateSnapshot s) {
        StringBuilder b = new StringBuilder();
        header(b, "certops_certificate_days_left", "Days until the certificate expires (the soonest of what is served or live on disk).");
        for (CertificateView c : s.certificates()) {
            c.daysLeft().ifPresent(d -> b.append("certops_certificate_days_left{certificate=\"").append(esc(c.id())).append("\"} ").append(d).append('\n'));
        }
        header(b, "certops_certificate_status", "1 for the certificate's current status, the worst that applies ("
                + Arrays.stream(Status.values()).map(Status::label).reduce((x, y) -> x + " < " + y).orElseThrow() + ").");
        for (CertificateView c : s.certificates()) oneHot(b, "certops_certificate_status", "certificate=\"" + esc(c.id()) + "\"", Optional.of(c.status()));
        header(b, "certops_certificate_diverged", "1 when an endpoint serves something else than what is live on disk, or hosts are out of step.");
        for (CertificateView c : s.certificates()) {
            b.append("certops_certificate_diverged{certificate=\"").append(esc(c.id())).append("\"} ").append(c.diverged() ? 1 : 0).append('\n');
        }
        header(b, "certops_endpoint_days_left", "Days until the certificate an endpoint serves expires.");
        for (EndpointView e : endpoints(s)) {
            e.daysLeft().ifPresent(d -> b.append("certops_endpoint_days_left{").append(endpointLabels(e)).append("} ").append(d).append('\n'));
        }
        header(b, "certops_endpoint_status", "1 for the endpoint's current status (unreachable when nothing could be read).");
        for (EndpointView e : endpoints(s)) oneHot(b, "certops_endpoint_status", endpointLabels(e), Optional.of(e.status()));
        header(b, "certops_endpoint_problems", "Number of problems with what the endpoint serves (name, chain, self-signed, expiry, reachability).");
        for (EndpointView e : endpoints(s)) b.append("certops_endpoint_problems{").append(endpointLabels(e)).append("} ").append(e.findings().size()).append('\n');
        header(b, "certops_host_days_left", "Days until the certificate live on a host's disk expires.");
        for (CertificateView c : s.certificates()) {
            for (DeploymentView d : c.deployments()) {
                d.live().ifPresent(i -> b.append("certops_host_days_left{").append(hostLabels(c, d)).append("} ").append(i.daysLeft(s.at())).append('\n'));
            }
        }
        header(b, "certops_host_status", "1 for the status of the certificate live on a host's disk (no series when it could not be read).");
        for (CertificateView c : s.certificates()) {
            for (DeploymentView d : c.deployments()) oneHot(b, "certops_host_status", hostLabels(c, d), d.status());
        }
        header(b, "certops_scan_timestamp_seconds", "When the scan ran (Unix time).");
        b.append("certops_scan_timestamp_seconds ").append(s.at().getEpochSecond()).append('\n');
        header(b, "certops_scan_duration_seconds", "How long the scan took.");
        b.append("certops_scan_duration_seconds ").append(s.took().toMillis() / 1000.0).append('\n');
        return b.toString();
    }

    /** Writes atomically: a temporary file in the same folder, then a rename over the target. */
    public static void write(EstateSnapshot s, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.writeString(tmp, render(s));
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Iterable<EndpointView> endpoints(EstateSnapshot s) {
        return Stream.concat(s.certificates().stream().flatMap(c -> c.endpoints().stream()), s.extraEndpoints().stream())::iterator;
    }

    private static String endpointLabels(EndpointView e) {
        return "certificate=\"" + esc(e.certificateId().orElse("")) + "\",endpoint=\"" + esc(e.label()) + "\",sni=\"" + esc(e.endpoint().sni()) + "\"";
    }

    private static String hostLabels(CertificateView c, DeploymentView d) {
        return "certificate=\"" + esc(c.id()) + "\",host=\"" + esc(d.hostId()) + "\"";
    }

    private static void oneHot(StringBuilder b, String metric, String labels, Optional<Status> current) {
        if (current.isEmpty()) return;
        for (Status st : Status.values()) {
            b.append(metric).append('{').append(labels).append(",status=\"").append(st.label()).append("\"} ").append(current.get() == st ? 1 : 0).append('\n');
        }
    }

    private static void header(StringBuilder b, String metric, String help) {
        b.append("# HELP ").append(metric).append(' ').append(help).append('\n').append("# TYPE ").append(metric).append(" gauge\n");
    }

    private static String esc(String v) { return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }
}
