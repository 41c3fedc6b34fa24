package dev.certops.alert;

import dev.certops.config.AlertChannelConfig;
import dev.certops.config.AlertsConfig;
import dev.certops.config.SecretRef;
import dev.certops.crypto.SecretStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the configured channels, resolving {@code secret:} references through the workspace's
 * secret store. A channel whose secret (or an email channel whose trust: file) cannot be read
 * becomes a {@link BrokenChannel}: it fails
 * every send with the reason (never the secret), so one bad channel never stops the others.
 */
public final class AlertChannels {
    private AlertChannels() { }

    public static List<AlertChannel> build(AlertsConfig config, SecretStore secrets, RetryPolicy policy, RetryPolicy.Sleeper sleeper) {
        HttpClient client = HttpPost.client(policy);
        List<AlertChannel> out = new ArrayList<>();
        for (AlertChannelConfig c : config.channels()) {
            try {
                out.add(build(c, secrets, client, policy, sleeper));
            } catch (Unusable e) {
                out.add(new BrokenChannel(c.id(), c.type(), e.getMessage(), e.hint));
            }
        }
        return List.copyOf(out);
    }

    private static AlertChannel build(AlertChannelConfig c, SecretStore secrets, HttpClient client, RetryPolicy policy,
                                      RetryPolicy.Sleeper sleeper) throws Unusable {
        if (c instanceof AlertChannelConfig.Webhook w) {
            String url = resolve(w.url(), secrets);
            return new WebhookChannel(w.id(), new HttpPost(client, uri(url, w.url()), policy, sleeper, List.of(url)));
        }
        if (c instanceof AlertChannelConfig.Slack s) {
            String url = resolve(s.url(), secrets);
            return new SlackChannel(s.id(), new HttpPost(client, uri(url, s.url()), policy, sleeper, List.of(url)));
        }
        if (c instanceof AlertChannelConfig.PagerDuty p) {
            String key = resolve(p.routingKey(), secrets);
            return new PagerDutyChannel(p.id(), key, new HttpPost(client, URI.create(p.eventsUrl()), policy, sleeper, List.of(key)));
        }
        AlertChannelConfig.Email e = (AlertChannelConfig.Email) c;
        Optional<String> password = e.password().isPresent() ? Optional.of(resolve(e.password().get(), secrets)) : Optional.empty();
        SmtpTrust trust;
        try {
            trust = SmtpTrust.load(e.trust());
        } catch (IOException ex) {
            String file = e.trust().map(Object::toString).orElse("");
            throw new Unusable("trust: " + file + " cannot be used: " + ex.getMessage(),
                    "put the PEM certificate of the CA that issued the SMTP server's certificate in " + file);
        }
        return new EmailChannel(e, password, trust, policy, sleeper);
    }

    private static String resolve(SecretRef ref, SecretStore secrets) throws Unusable {
        if (!ref.isReference()) return ref.raw();
        String name = ref.name().orElseThrow();
        try {
            String v = new String(secrets.read(name), StandardCharsets.UTF_8).strip();
            if (v.isEmpty()) throw new Unusable("secret '" + name + "' is empty", "write the value into secrets/" + name + " (mode 0600)");
            return v;
        } catch (IOException | IllegalArgumentException ex) {
            throw new Unusable("secret '" + name + "' cannot be read: " + ex.getMessage(),
                    "create secrets/" + name + " (mode 0600) holding the value, or set CERTOPS_PASSPHRASE if the workspace is encrypted");
        }
    }

    private static URI uri(String url, SecretRef ref) throws Unusable {
        try {
            URI u = new URI(url);
            if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) throw new URISyntaxException("", "");
            return u;
        } catch (URISyntaxException ex) {
            throw new Unusable("the URL in " + ref + " is not an http(s) URL",
                    "put the full https://... URL in " + ref.name().map(n -> "secrets/" + n).orElse("certops.yaml"));
        }
    }

    private static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;
        private final String hint;

        Unusable(String message, String hint) {
            super(message);
            this.hint = hint;
        }
    }
}
