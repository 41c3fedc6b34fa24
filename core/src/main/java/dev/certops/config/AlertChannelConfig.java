package dev.certops.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the {@code alerts:} section: where alerts go. URLs, routing keys and passwords are
 * {@link SecretRef}s — a {@code secret:NAME} reference to a file in secrets/, or a literal that
 * {@code toString()} never shows. {@code repeatAfter} is how long an unchanged open condition waits
 * before it is sent again to this channel.
 */
public sealed interface AlertChannelConfig {
    String id();
    Duration repeatAfter();
    int line();

    /** The type word as written in certops.yaml. */
    String type();

    /** A generic JSON POST. */
    record Webhook(String id, SecretRef url, Duration repeatAfter, int line) implements AlertChannelConfig {
        @Override public String type() { return "webhook"; }
    }

    /** A Slack incoming webhook. */
    record Slack(String id, SecretRef url, Duration repeatAfter, int line) implements AlertChannelConfig {
        @Override public String type() { return "slack"; }
    }

    /** PagerDuty Events API v2; {@code url} overrides the events endpoint (tests, EU service region). */
    record PagerDuty(String id, SecretRef routingKey, Optional<String> url, Duration repeatAfter, int line) implements AlertChannelConfig {
        public static final String EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

        public String eventsUrl() { return url.orElse(EVENTS_URL); }

        @Override public String type() { return "pagerduty"; }
    }

    /**
     * SMTP submission. {@code starttls}: {@code required} (default: refuse to send in clear) or
     * {@code optional} (upgrade when the server offers it). {@code trust}: a PEM file of CA
     * certificates (resolved against the workspace, checked readable when certops.yaml is loaded)
     * trusted for the server's certificate besides Java's trust store — the internal CA of a
     * company relay; empty: Java's trust store alone.
     */
    record Email(String id, String host, int port, String from, List<String> to, Optional<String> user,
                 Optional<SecretRef> password, StartTls starttls, Optional<Path> trust, Duration repeatAfter, int line)
            implements AlertChannelConfig {
        public Email {
            to = List.copyOf(to);
        }

        @Override public String type() { return "email"; }
    }

    enum StartTls { REQUIRED, OPTIONAL }
}
