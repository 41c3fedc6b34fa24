package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import java.util.ArrayList;
import java.util.List;

/** The lines to paste into a server's config so it serves what certops deploys ({@code certops hosts snippet}). */
public final class ServerSnippets {
    private ServerSnippets() { }

    /** Each certificate deployed to {@code host}: its folder, its live files and the server lines that read them. */
    public static String forHost(HostConfig host, List<CertificateConfig> certificates) {
        List<String> out = new ArrayList<>();
        out.add("# " + host.id() + ": certops keeps each certificate's live link pointing at its current release.");
        out.add("# Reload after pasting; certops reloads with: " + host.reloadCommand());
        if (certificates.isEmpty()) {
            out.add("# No certificate deploys to " + host.id() + " yet (add it to a certificate's deploy.waves).");
            out.add(host.baseDir().map(b -> "# Each certificate will get " + b + "/CERT_ID/live/…").orElse("# Its certificate will live in " + host.certDir() + "/live/…"));
            out.add("");
            return String.join("\n", out);
        }
        for (CertificateConfig c : certificates) {
            RemotePaths p = new RemotePaths(host.certDirFor(c));
            String live = p.live() + "/";
            List<String> files = ReleaseFiles.names(c.deployment(), host.service());
            out.add("");
            out.add("# ── " + c.id() + " (" + String.join(", ", c.names()) + ") — releases in " + p.releasesDir());
            out.add("#    files: " + String.join(", ", files.stream().map(f -> live + f).toList()));
            if (files.contains(RemotePaths.FULLCHAIN) && files.contains(RemotePaths.PRIVKEY)) {
                String full = live + RemotePaths.FULLCHAIN;
                String key = live + RemotePaths.PRIVKEY;
                out.add("# nginx (inside the server { listen 443 ssl; ... } block)");
                out.add("ssl_certificate     " + full + ";");
                out.add("ssl_certificate_key " + key + ";");
                out.add("# apache (inside <VirtualHost *:443>, Apache 2.4.8 or later)");
                out.add("SSLEngine on");
                out.add("SSLCertificateFile    " + full);
                out.add("SSLCertificateKeyFile " + key);
                out.add("# postfix (main.cf)");
                out.add("smtpd_tls_chain_files = " + key + ", " + full);
                out.add("# dovecot (10-ssl.conf)");
                out.add("ssl_cert = <" + full);
                out.add("ssl_key = <" + key);
            }
            if (files.contains(RemotePaths.COMBINED)) {
                out.add("# haproxy (on the bind line; combined.pem = fullchain + key)");
                out.add("bind :443 ssl crt " + live + RemotePaths.COMBINED);
            } else {
                out.add("# haproxy (add combined to the certificate's deploy files: first): bind :443 ssl crt " + live + RemotePaths.COMBINED);
            }
            if (files.contains(ReleaseFiles.PKCS12)) out.add("# Java (Tomcat, Jetty, Keycloak, Kafka): keystore " + live + ReleaseFiles.PKCS12 + ", type PKCS12, alias " + c.deployment().alias().orElse(c.id()));
            if (files.contains(ReleaseFiles.JKS)) out.add("# Java: keystore " + live + ReleaseFiles.JKS + ", type JKS, alias " + c.deployment().alias().orElse(c.id()));
        }
        out.add("");
        return String.join("\n", out);
    }
}
