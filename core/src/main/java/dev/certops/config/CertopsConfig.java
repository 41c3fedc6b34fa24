package dev.certops.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A validated certops.yaml. Every section is optional; lists are never null. */
public record CertopsConfig(Path file, List<String> resolvers, List<CaConfig> cas, List<DnsConfig> dns,
                            List<HostConfig> hosts, List<CertificateConfig> certificates,
                            List<Endpoint> endpoints, Thresholds thresholds, Optional<HistoryConfig> history, RenewConfig renew,
                            AlertsConfig alerts, List<String> trust) {

    /**
     * Without a top-level {@code trust:}: the scan's TLS clients trust Java's trust store alone.
     */
    public CertopsConfig(Path file, List<String> resolvers, List<CaConfig> cas, List<DnsConfig> dns,
                         List<HostConfig> hosts, List<CertificateConfig> certificates,
                         List<Endpoint> endpoints, Thresholds thresholds, Optional<HistoryConfig> history, RenewConfig renew,
                         AlertsConfig alerts) {
        this(file, resolvers, cas, dns, hosts, certificates, endpoints, thresholds, history, renew, alerts, List.of());
    }

    /** Without an {@code alerts:} section. */
    public CertopsConfig(Path file, List<String> resolvers, List<CaConfig> cas, List<DnsConfig> dns,
                         List<HostConfig> hosts, List<CertificateConfig> certificates,
                         List<Endpoint> endpoints, Thresholds thresholds, Optional<HistoryConfig> history, RenewConfig renew) {
        this(file, resolvers, cas, dns, hosts, certificates, endpoints, thresholds, history, renew, AlertsConfig.NONE);
    }

    /** Without a {@code history:} or {@code renew:} section (the local SQLite history, default renewal). */
    public CertopsConfig(Path file, List<String> resolvers, List<CaConfig> cas, List<DnsConfig> dns,
                         List<HostConfig> hosts, List<CertificateConfig> certificates,
                         List<Endpoint> endpoints, Thresholds thresholds) {
        this(file, resolvers, cas, dns, hosts, certificates, endpoints, thresholds, Optional.empty(), RenewConfig.DEFAULT, AlertsConfig.NONE);
    }

    public static CertopsConfig empty(Path file) {
        return new CertopsConfig(file, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Thresholds.DEFAULT);
    }

    /**
     * The top-level {@code trust:} files (an internal CA's roots the estate's clients trust besides
     * Java's trust store), relative paths resolved against the workspace (this file's folder).
     */
    public List<Path> trustFiles() {
        Path base = file.toAbsolutePath().getParent();
        return trust.stream().map(t -> base.resolve(t).normalize()).toList();
    }

    public Optional<CaConfig> ca(String id) { return cas.stream().filter(c -> c.id().equals(id)).findFirst(); }
    public Optional<DnsConfig> dnsProvider(String id) { return dns.stream().filter(d -> d.id().equals(id)).findFirst(); }
    public Optional<HostConfig> host(String id) { return hosts.stream().filter(h -> h.id().equals(id)).findFirst(); }
    public Optional<CertificateConfig> certificate(String id) { return certificates.stream().filter(c -> c.id().equals(id)).findFirst(); }

    /** What to say when {@code id} names no certificate: the file, and the ids it does name. */
    public String unknownCertificate(String id) {
        if (certificates.isEmpty()) return "no certificate '" + id + "' in " + file + " — it lists none yet: add it under certificates:";
        return "no certificate '" + id + "' in " + file + " — known: " + String.join(", ", certificates.stream().map(CertificateConfig::id).toList());
    }

    /** The CAs for a certificate, in its preference order. */
    public List<CaConfig> casFor(CertificateConfig cert) {
        if (cert.cas().isEmpty()) return cas;
        return cert.cas().stream().map(id -> ca(id).orElseThrow()).toList();
    }
}
