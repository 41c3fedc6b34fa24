package dev.certops.estate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The estate as a node_exporter textfile: days left and status per certificate, endpoint and host.
 * Written to a temporary file in the same folder and renamed, so the collector never reads half a file.
 */
public final class PrometheusTextfile {
    private PrometheusTextfile() { }

    public static String render(EstateSnapshot s) {
        StringBuilder b = new StringBuilder();
        b.append("# HELP certops_certificate_days_left Days until the certificate expires (what is served or live; the soonest).\n");
        b.append("# TYPE certops_certificate_days_left gauge\n");
        for (CertificateView c : s.certificates()) {
            c.daysLeft().ifPresent(d -> b.append("certops_certificate_days_left{certificate=\"").append(esc(c.id())).append("\"} ").append(d).append('\n'));
        }
        b.append("# HELP certops_endpoint_days_left Days until the certificate an endpoint serves expires.\n");
        b.append("# TYPE certops_endpoint_days_left gauge\n");
        for (CertificateView c : s.certificates()) {
            for (EndpointView e : c.endpoints()) {
                e.served().ifPresent(i -> b.append("certops_endpoint_days_left{certificate=\"").append(esc(c.id())).append("\",endpoint=\"")
                        .append(esc(e.endpoint().host() + ":" + e.endpoint().port())).append("\"} ").append(i.daysLeft(s.at())).append('\n'));
            }
        }
        for (EndpointView e : s.extraEndpoints()) {
            e.served().ifPresent(i -> b.append("certops_endpoint_days_left{certificate=\"\",endpoint=\"")
                    .append(esc(e.endpoint().host() + ":" + e.endpoint().port())).append("\"} ").append(i.daysLeft(s.at())).append('\n'));
        }
        b.append("# HELP certops_host_days_left Days until the certificate live on a host's disk expires.\n");
        b.append("# TYPE certops_host_days_left gauge\n");
        for (CertificateView c : s.certificates()) {
            for (DeploymentView d : c.deployments()) {
                d.live().ifPresent(i -> b.append("certops_host_days_left{certificate=\"").append(esc(c.id())).append("\",host=\"")
                        .append(esc(d.hostId())).append("\"} ").append(i.daysLeft(s.at())).append('\n'));
            }
        }
        b.append("# HELP certops_certificate_status 1 for the certificate's current status (ok, warning, critical, emergency, expired, unreachable).\n");
        b.append("# TYPE certops_certificate_status gauge\n");
        for (CertificateView c : s.certificates()) {
            for (Status st : Status.values()) {
                b.append("certops_certificate_status{certificate=\"").append(esc(c.id())).append("\",status=\"").append(st.label()).append("\"} ")
                        .append(c.status() == st ? 1 : 0).append('\n');
            }
        }
        b.append("# HELP certops_certificate_diverged 1 when an endpoint serves something other than what is live on disk.\n");
        b.append("# TYPE certops_certificate_diverged gauge\n");
        for (CertificateView c : s.certificates()) {
            b.append("certops_certificate_diverged{certificate=\"").append(esc(c.id())).append("\"} ").append(c.diverged() ? 1 : 0).append('\n');
        }
        b.append("# HELP certops_scan_timestamp_seconds When the scan ran.\n# TYPE certops_scan_timestamp_seconds gauge\n");
        b.append("certops_scan_timestamp_seconds ").append(s.at().getEpochSecond()).append('\n');
        return b.toString();
    }

    public static void write(EstateSnapshot s, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.writeString(tmp, render(s));
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String esc(String v) { return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }
}
