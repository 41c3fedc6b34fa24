package dev.certops.root;

import dev.certops.config.AlertChannelConfig;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.DnsConfig;
import dev.certops.config.HostConfig;
import dev.certops.config.SecretRef;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.crypto.TrustAnchors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a valid certops.yaml points at, checked before an incident needs it: the top-level {@code trust:}
 * files (roots the estate scan trusts), each CA's {@code trust:} file and each email channel's, each host's identity file and known_hosts, and every {@code secret:} reference (EAB keys,
 * DNS provider credentials, alert channels, the team history's password). Each referenced secret is
 * read once (so one stored under another passphrase is named now); its value is never printed.
 */
public final class ConfigChecks {
    private ConfigChecks() { }

    /** One thing that cannot be used as configured: {@code where} in certops.yaml, what is wrong, what to do. */
    public record Problem(String where, String what, String next, boolean blocking) {
        @Override public String toString() { return where + ": " + what + " — " + next; }
    }

    public static List<Problem> check(CertopsConfig cfg, Workspace ws, SecretStore secrets) {
        List<Problem> out = new ArrayList<>();
        for (CaConfig ca : cfg.cas()) {
            String where = "cas[" + ca.id() + "]";
            ca.trust().ifPresent(t -> trust(out, where + ".trust", ws.resolve(t),
                    "give the PEM file of the CA's TLS trust anchor (relative to the workspace), or remove trust: for a publicly trusted CA"));
            ca.eab().ifPresent(eab -> secret(out, secrets, where + ".eab.hmac", eab.hmac()));
        }
        List<Path> roots = cfg.trustFiles();
        for (int i = 0; i < roots.size(); i++) {
            trust(out, "trust[" + i + "]", roots.get(i), "give a PEM file with the root certificate(s) the estate's TLS clients trust besides Java's"
                    + " trust store (relative to the workspace), e.g. trust: [pki/internal-root.pem], or remove it from trust:");
        }
        for (DnsConfig d : cfg.dns()) {
            for (Map.Entry<String, String> e : d.settings().entrySet()) {
                if (e.getValue() != null && e.getValue().startsWith(SecretRef.PREFIX)) secret(out, secrets, "dns[" + d.id() + "]." + e.getKey(), new SecretRef(e.getValue()));
            }
        }
        for (HostConfig h : cfg.hosts()) {
            if (h.isLocal()) continue;
            String where = "hosts[" + h.id() + "]";
            h.identity().filter(i -> !"agent".equals(i)).ifPresent(i -> {
                Path f = ws.resolve(i);
                if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                    out.add(new Problem(where + ".identity", "identity file " + f + " does not exist or cannot be read",
                            "give the private key file for user " + h.user() + " (relative to the workspace), or identity: agent", true));
                }
            });
            Path kh = ws.resolve(h.knownHosts().orElse("ssh/known_hosts"));
            if (!Files.isRegularFile(kh)) {
                out.add(new Problem(where + ".knownHosts", "known_hosts file " + kh + " does not exist yet, so the host's key is unknown",
                        "run `certops hosts trust " + h.id() + "` and compare the fingerprint before a deploy needs it", false));
            }
        }
        try {
            Set<String> unlisted = Unmanaged.fromCerts(ws);
            unlisted.removeAll(cfg.certificates().stream().map(CertificateConfig::id).toList());
            if (!unlisted.isEmpty()) {
                out.add(new Problem("certificates", Unmanaged.warning(unlisted), "nothing renews them while they are unlisted", false));
            }
        } catch (IOException e) {
            out.add(new Problem("certs/", "cannot be listed: " + e.getMessage(), "check the workspace's permissions", false));
        }
        cfg.history().flatMap(hc -> hc.password()).ifPresent(p -> secret(out, secrets, "history.password", p));
        for (AlertChannelConfig a : cfg.alerts().channels()) {
            String where = "alerts[" + a.id() + "]";
            if (a instanceof AlertChannelConfig.Webhook w) secret(out, secrets, where + ".url", w.url());
            else if (a instanceof AlertChannelConfig.Slack s) secret(out, secrets, where + ".url", s.url());
            else if (a instanceof AlertChannelConfig.PagerDuty p) secret(out, secrets, where + ".routingKey", p.routingKey());
            else if (a instanceof AlertChannelConfig.Email e) {
                e.password().ifPresent(p -> secret(out, secrets, where + ".password", p));
                e.trust().ifPresent(t -> trust(out, where + ".trust", t,
                        "give a PEM file with the CA certificate that issued the SMTP server's certificate, relative to the workspace, e.g. trust: certs/internal-ca.pem"));
            }
        }
        return List.copyOf(out);
    }

    private static void trust(List<Problem> out, String where, Path file, String next) {
        try {
            TrustAnchors.keyStore(file);
        } catch (IOException e) {
            out.add(new Problem(where, "file " + file + " cannot be used: " + e.getMessage(), next, true));
        }
    }

    private static void secret(List<Problem> out, SecretStore secrets, String where, SecretRef ref) {
        Optional<String> name = ref.name();
        if (name.isEmpty()) return;
        boolean present;
        try {
            present = secrets.exists(name.get());
        } catch (RuntimeException e) {
            present = false;
        }
        if (!present) {
            out.add(new Problem(where, "the secret '" + name.get() + "' is not in " + "secrets/",
                    "store it with `certops secret set " + name.get() + "` (or write the file secrets/" + name.get() + ", mode 0600)", true));
            return;
        }
        try {
            secrets.read(name.get()); // decrypts with this CERTOPS_PASSPHRASE: a secret stored under another one fails here, not in an incident
        } catch (IOException | RuntimeException e) {
            out.add(new Problem(where, "the secret '" + name.get() + "' cannot be read: " + e.getMessage(),
                    "set CERTOPS_PASSPHRASE to the passphrase it was stored with, or store it again with `certops secret set " + name.get() + "`", true));
        }
    }
}
