package dev.certops.deploy;

import dev.certops.config.HostConfig;

/** The lines to paste into a web server's config so it serves what certops deploys ({@code certops hosts snippet}). */
public final class ServerSnippets {
    private ServerSnippets() { }

    public static String forHost(HostConfig host) {
        RemotePaths p = new RemotePaths(host.certDir());
        String full = p.live() + "/" + RemotePaths.FULLCHAIN;
        String key = p.live() + "/" + RemotePaths.PRIVKEY;
        return String.join("\n",
                "# " + host.id() + ": certops keeps " + p.live() + " pointing at the current release.",
                "# Reload after pasting; certops reloads with: " + host.reloadCommand(),
                "",
                "# nginx (inside the server { listen 443 ssl; ... } block)",
                "ssl_certificate     " + full + ";",
                "ssl_certificate_key " + key + ";",
                "",
                "# apache (inside <VirtualHost *:443>, Apache 2.4.8 or later)",
                "SSLEngine on",
                "SSLCertificateFile    " + full,
                "SSLCertificateKeyFile " + key,
                "",
                "# haproxy (on the bind line; for service: haproxy certops also writes combined.pem = fullchain + key, 0600)",
                "bind :443 ssl crt " + p.live() + "/" + RemotePaths.COMBINED,
                "");
    }
}
