package dev.certops.estate;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.config.Thresholds;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainReport;
import dev.certops.deploy.ServedEndpoints;
import dev.certops.estate.Finding.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The judging half of a scan (no I/O): status by thresholds, a TLS client's verdict (name coverage
 * here, the chain's verdict from {@link ClientVerdict}), and divergence — an endpoint serving something else than what is live on its host's disk,
 * or the endpoints and hosts of one certificate out of step with each other.
 */
final class Judge {
    private final Thresholds thresholds;
    private final Instant now;
    private final CaNames caNames;
    private final Function<String, Optional<HostConfig>> hosts;
    private final Map<String, String> revokedByCertops;

    Judge(Thresholds thresholds, Instant now, CaNames caNames, Function<String, Optional<HostConfig>> hosts) {
        this(thresholds, now, caNames, hosts, Map.of());
    }

    /** @param revokedByCertops serial → why (from history: certops revoked it) */
    Judge(Thresholds thresholds, Instant now, CaNames caNames, Function<String, Optional<HostConfig>> hosts, Map<String, String> revokedByCertops) {
        this.thresholds = thresholds;
        this.now = now;
        this.caNames = caNames;
        this.hosts = hosts;
        this.revokedByCertops = Map.copyOf(revokedByCertops);
    }

    EndpointView endpoint(Optional<String> certificateId, Endpoint e, Observation o) { return endpoint(certificateId, e, o, true); }

    /** @param nameAsked false when no name was asked (discovery of an address): the served names are not judged against it */
    EndpointView endpoint(Optional<String> certificateId, Endpoint e, Observation o, boolean nameAsked) {
        if (o instanceof Observation.Failed f) {
            String reason = f.failure().reason().label();
            return new EndpointView(certificateId, e, Optional.empty(), "-", Status.UNREACHABLE, Optional.of(reason + ": " + f.failure().getMessage()),
                    Optional.empty(), false, false, false, "", List.of(Finding.of(Kind.UNREACHABLE, e + " unreachable (" + reason + "): " + detail(e, f.failure().getMessage()))));
        }
        Observation.Served s = (Observation.Served) o;
        CertificateInfo info = s.leaf();
        ChainReport chain = s.report();
        List<Finding> findings = new ArrayList<>();
        boolean covered = !nameAsked || info.covers(e.sni());
        if (!covered) {
            findings.add(Finding.of(Kind.NAME_NOT_COVERED, e + " serves a certificate for " + info.names() + ", which does not cover " + e.sni()
                    + ": clients reject it — issue a certificate that includes " + e.sni() + ", or fix the server's name-based configuration"));
        }
        String protocol = s.chain().protocol();
        if (protocol.equals("TLSv1") || protocol.equals("TLSv1.1")) {
            findings.add(Finding.of(Kind.LEGACY_PROTOCOL, e + " speaks only " + (protocol.equals("TLSv1") ? "TLS 1.0" : "TLS 1.1")
                    + ", which current clients (browsers, Java 17, OpenSSL at its default level) refuse — enable TLS 1.2 and 1.3 on the server"));
        }
        String revoked = revokedByCertops.get(info.serial());
        if (revoked != null) {
            findings.add(Finding.of(Kind.REVOKED, e + " serves serial " + info.serial() + ", which " + revoked + ": clients that check revocation refuse it"
                    + " — deploy the newer certificate (`certops deploy" + certificateId.map(id -> " " + id).orElse("") + "`), or issue one with `certops renew --force`"));
        }
        for (Finding f : s.verdict().findings()) findings.add(Finding.of(f.kind(), e + " " + f.message()));
        Status st = Finding.worst(StatusRules.of(info.notBefore(), info.notAfter(), thresholds, now), findings);
        return new EndpointView(certificateId, e, Optional.of(info), caNames.of(info), st, Optional.empty(), Optional.of(info.daysLeft(now)),
                covered, chain.complete() || onlyOrder(chain), !chain.wrongOrder(), s.chain().protocol(), findings);
    }

    private static String detail(Endpoint e, String message) {
        String prefix = e + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static boolean onlyOrder(ChainReport chain) {
        return chain.wrongOrder() && chain.problems().size() == 1 && chain.missingIssuer().isEmpty();
    }

    DeploymentView deployment(CertificateConfig c, HostConfig h, EstateScanner.LiveCopy copy) {
        return new DeploymentView(c.id(), h.id(), h.certDirFor(c), copy.release(), copy.leaf(),
                copy.leaf().map(i -> StatusRules.of(i.notBefore(), i.notAfter(), thresholds, now)), copy.error(), copy.deployed());
    }

    CertificateView certificate(CertificateConfig c, List<EndpointView> endpoints, List<DeploymentView> deployments) {
        List<Finding> findings = new ArrayList<>();
        Status status = Status.OK;
        Optional<CertificateInfo> current = Optional.empty();
        for (EndpointView e : endpoints) {
            status = status.worse(e.status());
            findings.addAll(e.findings());
            current = sooner(current, e.served());
        }
        for (DeploymentView d : deployments) {
            if (d.live().isEmpty()) {
                if (d.deployed()) {
                    findings.add(Finding.of(Kind.DISK_UNREADABLE, d.hostId() + ": what is live on disk cannot be read — " + d.error().orElse("no reason given")));
                }
                continue;
            }
            CertificateInfo live = d.live().get();
            Status st = d.status().orElseThrow();
            status = status.worse(st);
            if (st == Status.EXPIRED) {
                findings.add(Finding.of(Kind.EXPIRED, d.hostId() + " has a certificate live on disk that expired on " + live.notAfter() + " — renew it and deploy"));
            }
            current = sooner(current, d.live());
            findings.addAll(divergenceFromDisk(c, d, live, endpoints));
        }
        findings.addAll(outOfStep(c, endpoints, deployments));
        if (endpoints.isEmpty() && deployments.isEmpty()) {
            findings.add(Finding.of(Kind.NOT_OBSERVED, c.id() + " has no endpoints and no hosts: add endpoints: (or deploy waves) so it can be watched"));
        }
        status = Finding.worst(status, findings);
        return new CertificateView(c.id(), c.names(), status, current.map(caNames::of).orElse("-"), current.map(i -> i.daysLeft(now)),
                current, endpoints, deployments, findings, Optional.empty());
    }

    /** The endpoints this host serves (by address) that serve something else than its live copy. */
    private List<Finding> divergenceFromDisk(CertificateConfig c, DeploymentView d, CertificateInfo live, List<EndpointView> endpoints) {
        Optional<HostConfig> host = hosts.apply(d.hostId());
        if (host.isEmpty()) return List.of();
        Set<Endpoint> ofHost = new LinkedHashSet<>(ServedEndpoints.BY_ADDRESS.endpointsFor(host.get(), c));
        List<Finding> out = new ArrayList<>();
        for (EndpointView e : endpoints) {
            if (!ofHost.contains(e.endpoint()) || e.served().isEmpty()) continue;
            CertificateInfo served = e.served().get();
            if (!served.fingerprint().equals(live.fingerprint())) {
                out.add(Finding.of(Kind.DIVERGED_FROM_DISK, "divergence: " + e.endpoint() + " serves serial " + served.serial() + " but " + d.hostId()
                        + " has serial " + live.serial() + " live on disk" + d.release().map(r -> " (release " + r + ")").orElse("")
                        + " — a reload that never happened; reload the server or run `certops deploy " + c.id() + "`"));
            }
        }
        return out;
    }

    /** Endpoints serving different serials, or hosts holding different serials live. */
    private static List<Finding> outOfStep(CertificateConfig c, List<EndpointView> endpoints, List<DeploymentView> deployments) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<String>> servedBy = new LinkedHashMap<>();
        endpoints.forEach(e -> e.served().ifPresent(i -> servedBy.computeIfAbsent(i.serial(), k -> new ArrayList<>()).add(e.label())));
        if (servedBy.size() > 1) {
            out.add(Finding.of(Kind.HOSTS_DIFFER, "divergence: the endpoints of " + c.id() + " serve different serials " + servedBy
                    + " — hosts are out of step; deploy the newest to all"));
        }
        Map<String, List<String>> heldBy = new LinkedHashMap<>();
        deployments.forEach(d -> d.live().ifPresent(i -> heldBy.computeIfAbsent(i.serial(), k -> new ArrayList<>()).add(d.hostId())));
        if (heldBy.size() > 1) {
            out.add(Finding.of(Kind.HOSTS_DIFFER, "divergence: the hosts of " + c.id() + " hold different serials live " + heldBy
                    + " — a deploy stopped part-way; run `certops deploy " + c.id() + "`"));
        }
        return out;
    }

    private static Optional<CertificateInfo> sooner(Optional<CertificateInfo> a, Optional<CertificateInfo> b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return b.get().notAfter().isBefore(a.get().notAfter()) ? b : a;
    }
}
