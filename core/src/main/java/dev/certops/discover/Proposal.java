package dev.certops.discover;

import dev.certops.config.CertopsConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.SafeNames;
import dev.certops.crypto.CertificateInfo;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ready certops.yaml entries for the certificates a discovery found unmanaged, as a commented YAML
 * fragment the operator reviews and merges: nothing is ever added to certops.yaml by itself. Each
 * entry passes `config check` as written; what certops cannot know (how to prove control of the
 * names, where to deploy) is said in a comment. An entry whose names certops cannot take as they are
 * (a wildcard needs DNS-01) is written commented out, with what to set first.
 */
public final class Proposal {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Proposal() { }

    public static String yaml(DiscoveryReport r, CertopsConfig config) {
        List<DiscoveredCertificate> unknown = r.unmanaged();
        StringBuilder y = new StringBuilder();
        y.append("# Proposed by `certops estate discover` on ").append(MINUTE.format(r.at())).append(": ").append(unknown.size())
                .append(" certificate(s) served that ").append(config.file().getFileName()).append(" does not manage.\n");
        y.append("# Nothing was added to certops.yaml. Review each entry, then merge the entries into its certificates: section\n");
        y.append("# (or paste this whole file when it has none yet) and run `certops config check`.\n");
        y.append("certificates:");
        if (unknown.isEmpty()) return y.append(" []\n").toString();
        y.append('\n');
        Set<String> ids = new HashSet<>();
        config.certificates().forEach(c -> ids.add(c.id()));
        for (DiscoveredCertificate c : unknown) entry(y, c, ids, r.at());
        return y.toString();
    }

    private static void entry(StringBuilder y, DiscoveredCertificate c, Set<String> ids, Instant now) {
        CertificateInfo leaf = c.leaf();
        List<String> names = leaf.names().stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct().toList();
        String id = id(names.isEmpty() ? "certificate" : names.get(0), ids);
        boolean takeable = !names.isEmpty() && names.stream().allMatch(n -> SafeNames.dnsNameProblem(n, false).isEmpty());
        String prefix = takeable ? "  " : "  # ";
        y.append("\n  # ").append(String.join(", ", names)).append(" — issuer \"").append(leaf.issuerCn().isEmpty() ? leaf.issuerDn() : leaf.issuerCn())
                .append("\", serial ").append(leaf.serial()).append(", expires ").append(DAY.format(leaf.notAfter())).append(" (")
                .append(leaf.daysLeft(now)).append(" days left, ").append(c.status().label()).append(")\n");
        y.append("  # served at: ").append(Discovery.where(c.servedAt())).append('\n');
        if (!takeable) {
            y.append("  # commented out: ").append(names.isEmpty() ? "the certificate carries no DNS name" : "a wildcard or unusual name needs DNS-01")
                    .append(" — set challenge: { type: dns-01, dns: PROVIDER } (a provider from dns:), then uncomment\n");
        }
        y.append("  # before certops renews it: add challenge: { type: http-01, host: HOST } (a host with webroot:) or { type: dns-01, dns: PROVIDER },\n");
        y.append("  # and deploy: { waves: [[HOST]] } with the hosts that serve it (hosts: section)\n");
        y.append(prefix).append("- id: ").append(id).append('\n');
        y.append(prefix).append("  names: [").append(String.join(", ", names)).append("]\n");
        if (leaf.keyType().isPresent()) y.append(prefix).append("  key: ").append(leaf.keyType().get().configName()).append('\n');
        else y.append("  #   its key (").append(leaf.keyDescription()).append(") is not a type certops issues; it will use ec-p256 unless you set key:\n");
        y.append(prefix).append("  endpoints:\n");
        String first = names.isEmpty() ? "" : names.get(0);
        for (Endpoint e : c.servedAt()) {
            y.append(prefix).append("    - { host: ").append(e.host()).append(", port: ").append(e.port());
            boolean ownSni = !e.sni().equals(e.host()) && !e.sni().equals(first);
            if (ownSni) y.append(", sni: ").append(e.sni());
            y.append(" }\n");
        }
    }

    private static String id(String name, Set<String> taken) {
        String base = name.replace("*", "wildcard").replaceAll("[^A-Za-z0-9_.-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (base.isEmpty()) base = "certificate";
        if (base.length() > 60) base = base.substring(0, 60);
        String id = base;
        for (int i = 2; !taken.add(id); i++) id = base + "-" + i;
        return id;
    }
}
