package dev.certops.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.CertificateConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What CAs said about rate limits, remembered in history ({@code acme.rate-limited}) so that a
 * restart does not hit the CA again before its Retry-After has passed.
 */
final class RateLimitMemory {
    private final HistoryStore history;
    private final Clock clock;

    RateLimitMemory(HistoryStore history, Clock clock) {
        this.history = history;
        this.clock = clock;
    }

    /**
     * The latest Retry-After still in the future that applies to issuing {@code cert} with {@code account}
     * at this CA endpoint, if any. A limit the CA set on names (a duplicate certificate: "too many
     * certificates already issued for this exact set of identifiers", a registered domain, failed
     * authorizations of a name) holds only for certificates sharing one of its names; one on the account
     * ("too many new orders recently", new registrations) holds for every certificate of that account.
     * An event that does not say which names it was about (recorded by hand) holds for the whole CA.
     */
    Optional<Instant> until(CaEndpoint ca, String account, CertificateConfig cert) throws HistoryException {
        Instant now = clock.instant();
        Instant[] until = {null};
        history.forEach(EventQuery.all().kind(EventKinds.ACME_RATE_LIMITED).since(now.minus(Duration.ofDays(8))), e -> {
            try {
                JsonNode d = Json.mapper().readTree(e.details());   // the mapper only when the CA ever said "slow down"
                if (!d.path("ca").asText().equals(ca.id()) || d.path("staging").asBoolean() != ca.staging()) return;
                if (!applies(d, account, cert)) return;
                String ra = d.path("retryAfter").asText("");
                if (ra.isEmpty()) return;
                Instant t = Instant.parse(ra);
                if (t.isAfter(now) && (until[0] == null || t.isAfter(until[0]))) until[0] = t;
            } catch (Exception ignored) {
                // unreadable details are reported by `audit verify`
            }
        });
        return Optional.ofNullable(until[0]);
    }

    private static boolean applies(JsonNode d, String account, CertificateConfig cert) {
        String theirs = d.path("account").asText("");
        if (!theirs.isEmpty() && account != null && !account.isEmpty() && !theirs.equals(account)) return false;
        JsonNode names = d.path("names");
        if (!names.isArray() || names.isEmpty() || accountWide(d.path("detail").asText(""))) return true;
        for (JsonNode n : names) {
            if (cert.names().contains(n.asText())) return true;
        }
        return false;
    }

    /** Whether the CA's words name a limit on the account (or this machine) rather than on certain names. */
    static boolean accountWide(String detail) {
        String t = detail.toLowerCase(Locale.ROOT);
        boolean onNames = t.contains("already issued for") || t.contains("exact set") || t.contains("duplicate") || t.contains("registered domain")
                || t.contains("identifier") || t.contains("hostname");
        return !onNames || t.contains("new orders") || t.contains("registrations") || t.contains("per account");
    }

    void remember(CaEndpoint ca, String account, CertificateConfig cert, AcmeFailure.RateLimited rl) throws HistoryException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("account", account);
        d.put("names", cert.names());
        rl.retryAfter().ifPresent(t -> d.put("retryAfter", t.toString()));
        d.put("detail", rl.message());
        if (!rl.documents().isEmpty()) d.put("documents", rl.documents());
        history.append(new NewEvent(EventKinds.ACME_RATE_LIMITED, cert.id(), "failed", d));
    }
}
