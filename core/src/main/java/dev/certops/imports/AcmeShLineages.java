package dev.certops.imports;

import dev.certops.config.CertopsConfig;
import dev.certops.config.HostConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.CryptoException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * acme.sh's layout (its home, {@code ~/.acme.sh}): one folder per certificate, {@code DOMAIN/} (RSA) or
 * {@code DOMAIN_ecc/} (ECDSA), holding {@code DOMAIN.conf} (shell assignments {@code Le_Domain='…'},
 * {@code Le_Alt='a,b'} or {@code 'no'}, {@code Le_Webroot='/path'} or {@code 'dns_xx'} or {@code 'no'}
 * for standalone, {@code Le_API='directory URL'}, {@code Le_Keylength='ec-256'}), {@code DOMAIN.cer},
 * {@code DOMAIN.key}, {@code ca.cer} and {@code fullchain.cer}. acme.sh keeps only the current
 * certificate: one version per folder.
 */
public final class AcmeShLineages {
    private AcmeShLineages() { }

    public static List<Lineage> read(SourceTree tree, String home, CertopsConfig config, Optional<HostConfig> host) throws IOException, CryptoException {
        String base = home.endsWith("/") ? home.substring(0, home.length() - 1) : home;
        List<Lineage> out = new ArrayList<>();
        for (String folder : tree.list(base)) {
            String domain = folder.endsWith("_ecc") ? folder.substring(0, folder.length() - 4) : folder;
            String dir = base + "/" + folder;
            Optional<String> conf = tree.read(dir + "/" + domain + ".conf");
            if (conf.isEmpty()) continue; // acme.sh's own files (account.conf, ca/, deploy/, dnsapi/, …)
            Map<String, String> kv = parse(conf.get());
            String fullchain = dir + "/fullchain.cer";
            String keyFile = dir + "/" + domain + ".key";
            String chain = tree.read(fullchain).orElseThrow(() -> new IOException("acme.sh certificate " + domain + " has no " + fullchain + " on " + tree.where()
                    + " — was its issuance finished? (acme.sh --renew -d " + domain + ")"));
            String key = tree.read(keyFile).orElseThrow(() -> new IOException("acme.sh certificate " + domain + " has no key " + keyFile + " on " + tree.where()));
            ImportedVersion v = ImportedVersion.read(chain, tree.where() + ":" + fullchain, key, tree.where() + ":" + keyFile);
            List<String> notes = new ArrayList<>();
            Optional<String> challenge = challenge(kv.getOrDefault("Le_Webroot", ""), config, host, notes);
            Optional<String> api = Optional.ofNullable(kv.get("Le_API")).filter(a -> !a.isEmpty());
            out.add(new Lineage(domain, "acme.sh certificate " + domain + " (" + dir + "/" + domain + ".conf)", CertificateInfo.from(v.leaf()).names(),
                    CertificateInfo.from(v.leaf()).keyType().map(k -> k.configName()), api, challenge, notes, List.of(v)));
        }
        if (out.isEmpty()) {
            throw new IOException("no acme.sh certificate in " + base + " on " + tree.where() + " (no DOMAIN/DOMAIN.conf) — give acme.sh's home, e.g. --dir ~/.acme.sh");
        }
        return out;
    }

    private static Optional<String> challenge(String webroot, CertopsConfig config, Optional<HostConfig> host, List<String> notes) {
        if (webroot.startsWith("dns_")) {
            notes.add("acme.sh used its " + webroot + " DNS API: add a dns: provider for it (type rfc2136 for nsupdate, exec with a script otherwise)"
                    + " and set challenge: { type: dns-01, dns: PROVIDER }");
        } else if (webroot.equals("no") || webroot.isEmpty()) {
            notes.add("acme.sh answered HTTP-01 with its own listener (standalone): set webroot: on the host that serves port 80 for these names,"
                    + " then challenge: { type: http-01, host: HOST }");
        } else {
            return CertbotLineages.webroot("acme.sh", List.of(webroot), config, host, notes);
        }
        return Optional.empty();
    }

    /** {@code Key='value'} lines (acme.sh writes single-quoted values). */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) continue;
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) v = v.substring(1, v.length() - 1);
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }
}
