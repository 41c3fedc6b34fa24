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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * certbot's layout: {@code renewal/NAME.conf} (key = value lines, a {@code [renewalparams]} section
 * with {@code server}, {@code authenticator}, {@code webroot_path}, {@code key_type}, hooks),
 * {@code archive/NAME/certN.pem, chainN.pem, fullchainN.pem, privkeyN.pem} for every version N
 * (live/NAME/ only links the newest). Read from a {@link SourceTree}: locally or over SSH.
 */
public final class CertbotLineages {
    private static final Pattern FULLCHAIN = Pattern.compile("fullchain(\\d+)\\.pem");

    private CertbotLineages() { }

    /** @param host the certops host the folder is on (for http-01 through its webroot); empty: this machine, whose hosts are the {@code local} ones */
    public static List<Lineage> read(SourceTree tree, String configDir, CertopsConfig config, Optional<HostConfig> host) throws IOException, CryptoException {
        String base = configDir.endsWith("/") ? configDir.substring(0, configDir.length() - 1) : configDir;
        List<Lineage> out = new ArrayList<>();
        List<String> confs = tree.list(base + "/renewal").stream().filter(n -> n.endsWith(".conf")).toList();
        if (confs.isEmpty()) {
            throw new IOException("no certbot lineage in " + base + " on " + tree.where() + " (no renewal/*.conf) — give certbot's config folder, e.g. --dir /etc/letsencrypt");
        }
        for (String conf : confs) {
            String name = conf.substring(0, conf.length() - ".conf".length());
            String confPath = base + "/renewal/" + conf;
            Map<String, String> kv = parse(tree.read(confPath).orElseThrow(() -> new IOException(confPath + " vanished while reading")));
            String archive = kv.getOrDefault("archive_dir", base + "/archive/" + name);
            List<ImportedVersion> versions = new ArrayList<>();
            for (String f : tree.list(archive)) {
                Matcher m = FULLCHAIN.matcher(f);
                if (!m.matches()) continue;
                String n = m.group(1);
                String chainFile = archive + "/" + f;
                String keyFile = archive + "/privkey" + n + ".pem";
                String chain = tree.read(chainFile).orElseThrow(() -> new IOException(chainFile + " vanished while reading"));
                String key = tree.read(keyFile).orElseThrow(() -> new IOException("version " + n + " of " + name + " has no " + keyFile
                        + " — certbot keeps every key; restore it or delete that version from the archive"));
                versions.add(ImportedVersion.read(chain, tree.where() + ":" + chainFile, key, tree.where() + ":" + keyFile));
            }
            if (versions.isEmpty()) throw new IOException("certbot lineage " + name + " has no fullchainN.pem in " + archive + " on " + tree.where());
            ImportedVersion newest = versions.stream().max((a, b) -> a.leaf().getNotBefore().compareTo(b.leaf().getNotBefore())).orElseThrow();
            List<String> notes = new ArrayList<>();
            Optional<String> challenge = challenge(kv, config, host, notes);
            out.add(new Lineage(name, "certbot lineage " + name + " (" + confPath + ")", CertificateInfo.from(newest.leaf()).names(),
                    keyType(kv, newest), Optional.ofNullable(kv.get("server")), challenge, notes, versions));
        }
        return out;
    }

    private static Optional<String> keyType(Map<String, String> kv, ImportedVersion newest) {
        return CertificateInfo.from(newest.leaf()).keyType().map(k -> k.configName());
    }

    private static Optional<String> challenge(Map<String, String> kv, CertopsConfig config, Optional<HostConfig> host, List<String> notes) {
        String auth = kv.getOrDefault("authenticator", "");
        if (auth.equals("webroot")) {
            List<String> roots = new ArrayList<>();
            for (String r : kv.getOrDefault("webroot_path", "").split(",")) if (!r.isBlank()) roots.add(r.strip());
            for (Map.Entry<String, String> e : kv.entrySet()) if (e.getKey().startsWith("webroot_map.")) roots.add(e.getValue());
            return webroot("certbot", roots, config, host, notes);
        } else if (auth.equals("standalone")) {
            notes.add("certbot answered HTTP-01 with its own listener (standalone); certops places tokens in a web server's webroot:"
                    + " set webroot: on the host that serves port 80 for these names, then challenge: { type: http-01, host: HOST }");
        } else if (auth.equals("manual")) {
            notes.add("certbot ran manual hooks (" + kv.getOrDefault("manual_auth_hook", "none recorded") + "): for DNS-01 add a dns: provider"
                    + " (type exec runs your script; rfc2136 or challtestsrv talk to the server) and set challenge: { type: dns-01, dns: PROVIDER }");
        } else if (auth.startsWith("dns-")) {
            String plugin = auth.substring(4);
            notes.add("certbot used its " + auth + " plugin: add a dns: provider for it (" + (plugin.equals("rfc2136") ? "type rfc2136" : "type exec with a script")
                    + ") and set challenge: { type: dns-01, dns: PROVIDER }");
        } else if (!auth.isEmpty()) {
            notes.add("certbot's authenticator '" + auth + "' has no certops equivalent: set challenge: { type: http-01, host: HOST } or { type: dns-01, dns: PROVIDER }");
        }
        return Optional.empty();
    }

    /**
     * HTTP-01 through a webroot: the certops host (the one read from, or this machine's {@code local} hosts) whose
     * {@code webroot:} is one of the tool's; else a note saying what to set.
     */
    static Optional<String> webroot(String tool, List<String> roots, CertopsConfig config, Optional<HostConfig> host, List<String> notes) {
        List<HostConfig> candidates = host.map(List::of).orElse(config.hosts().stream().filter(h -> h.address().equals(HostConfig.LOCAL)).toList());
        Optional<HostConfig> match = candidates.stream().filter(h -> h.webroot().isPresent() && roots.contains(h.webroot().get())).findFirst();
        if (match.isPresent()) return Optional.of("{ type: http-01, host: " + match.get().id() + " }");
        notes.add(tool + " answered HTTP-01 from the webroot " + String.join(", ", roots) + ": give that host webroot: "
                + (roots.isEmpty() ? "PATH" : roots.get(0)) + " in hosts:, then set challenge: { type: http-01, host: HOST }");
        return Optional.empty();
    }

    /** certbot's renewal file: {@code key = value} lines; sections only group them ({@code [[webroot_map]]} entries are kept as webroot_map.NAME). */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[")) {
                section = line.replace("[", "").replace("]", "").strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String k = line.substring(0, eq).strip();
            String v = line.substring(eq + 1).strip();
            if (v.endsWith(",")) v = v.substring(0, v.length() - 1);
            out.put(section.equals("webroot_map") ? "webroot_map." + k : k, v);
        }
        return out;
    }
}
