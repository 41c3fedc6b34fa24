package dev.certops.ratelimit;

import static dev.certops.ratelimit.LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER;
import static dev.certops.ratelimit.LimitKind.CONSECUTIVE_AUTHZ_FAILURES;
import static dev.certops.ratelimit.LimitKind.NEW_ACCOUNTS_PER_IP;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_EXACT_SET;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN;
import static dev.certops.ratelimit.LimitKind.NEW_ORDERS_PER_ACCOUNT;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How each history event kind moves the ledger's buckets (called under the ledger's lock). */
final class LedgerIngest {
    private final UsageLedger ledger;

    LedgerIngest(UsageLedger ledger) { this.ledger = ledger; }

    void apply(HistoryEvent e, JsonNode d, String ca, ScopeState s) {
        Map<LimitKind, Bucket> buckets = ledger.limits().buckets(ca, d.path("staging").asBoolean(false));
        long t = e.time().toEpochMilli();
        String account = d.path("account").asText("");
        switch (e.kind()) {
            case EventKinds.ACME_ORDER_CREATED -> {
                Exemption ex = exemption(s, names(d), text(d, "replaces"), d.path("renewal").asBoolean(false));
                if (!e.subject().isEmpty()) s.pendingOrders.put(e.subject(), ex);
                if (ex == Exemption.NONE) spend(s, buckets, NEW_ORDERS_PER_ACCOUNT, account, t);
            }
            case EventKinds.ACME_CERT_ISSUED -> {
                NameSet set = names(d);
                Exemption ex = s.pendingOrders.remove(e.subject());
                if (ex == null) ex = exemption(s, set, text(d, "replaces"), d.path("renewal").asBoolean(false));
                issue(s, buckets, set, ex, t, text(d, "serial"), text(d, "replaces"));
            }
            case EventKinds.RATELIMIT_IMPORTED -> {
                Optional<String> serial = text(d, "serial");
                if (serial.isPresent() && s.serialToSet.containsKey(AriCertId.normalizeSerial(serial.get()))) return;
                NameSet set = names(d);
                long at = text(d, "time").map(x -> Instant.parse(x).toEpochMilli()).orElse(t);
                Exemption ex = exemption(s, set, Optional.empty(), false);
                if (ex == Exemption.NONE && !account.isEmpty()) spend(s, buckets, NEW_ORDERS_PER_ACCOUNT, account, at);
                issue(s, buckets, set, ex, at, serial, Optional.empty());
            }
            case EventKinds.ACME_AUTHZ_FAILED -> {
                String key = account + " " + RegisteredDomains.normalize(d.path("identifier").asText("?"));
                spend(s, buckets, AUTHZ_FAILURES_PER_IDENTIFIER, key, t);
                spend(s, buckets, CONSECUTIVE_AUTHZ_FAILURES, key, t);
            }
            case EventKinds.ACME_AUTHZ_VALID ->
                s.bucket(CONSECUTIVE_AUTHZ_FAILURES).remove(account + " " + RegisteredDomains.normalize(d.path("identifier").asText("?")));
            case EventKinds.ACME_ACCOUNT_CREATED -> spend(s, buckets, NEW_ACCOUNTS_PER_IP, UsageLedger.THIS_MACHINE, t);
            case EventKinds.ACME_RATE_LIMITED -> refuse(s, buckets, d, account, e.time());
            default -> { }
        }
    }

    static Exemption exemption(ScopeState s, NameSet set, Optional<String> replaces, boolean renewalFlag) {
        if (replaces.isPresent()) {
            String serial = AriCertId.serialOf(replaces.get());
            String replacedSet = s.serialToSet.get(serial);
            if (!s.replaced.contains(serial) && replacedSet != null && sharesName(replacedSet, set)) return Exemption.ARI;
        }
        return renewalFlag || s.issuedSets.contains(set.key()) ? Exemption.RENEWAL : Exemption.NONE;
    }

    private static boolean sharesName(String setKey, NameSet set) {
        for (String n : setKey.split(",")) if (set.names().contains(n)) return true;
        return false;
    }

    private static void issue(ScopeState s, Map<LimitKind, Bucket> buckets, NameSet set, Exemption ex, long t,
                              Optional<String> serial, Optional<String> replaces) {
        if (ex != Exemption.ARI) spend(s, buckets, NEW_CERTS_PER_EXACT_SET, set.key(), t);
        if (ex == Exemption.NONE) {
            for (String domain : RegisteredDomains.of(set.names())) spend(s, buckets, NEW_CERTS_PER_REGISTERED_DOMAIN, domain, t);
        }
        String key = set.key();
        s.issuedSets.add(key);
        serial.ifPresent(x -> s.serialToSet.put(AriCertId.normalizeSerial(x), key));
        replaces.ifPresent(r -> s.replaced.add(AriCertId.serialOf(r)));
    }

    private static void spend(ScopeState s, Map<LimitKind, Bucket> buckets, LimitKind kind, String key, long t) {
        Bucket b = buckets.get(kind);
        if (b == null) return;
        s.bucket(kind).merge(key, TokenBucketMath.spend(0, t, b), (old, ignored) -> TokenBucketMath.spend(old, t, b));
    }

    private static void refuse(ScopeState s, Map<LimitKind, Bucket> buckets, JsonNode d, String account, Instant at) {
        String detail = d.path("detail").asText("");
        Optional<LimitKind> kind = RateLimitProblem.classify(detail);
        Optional<String> quoted = RateLimitProblem.quotedName(detail);
        NameSet set = d.path("names").isMissingNode() ? null : names(d);
        List<String[]> targets = new ArrayList<>();   // {kind, key}
        LimitKind k = kind.orElse(null);
        if (k == null || k == NEW_ORDERS_PER_ACCOUNT) targets.add(new String[] {NEW_ORDERS_PER_ACCOUNT.name(), account});
        if (k == NEW_ACCOUNTS_PER_IP) targets.add(new String[] {k.name(), UsageLedger.THIS_MACHINE});
        if ((k == null || k == NEW_CERTS_PER_EXACT_SET) && set != null) targets.add(new String[] {NEW_CERTS_PER_EXACT_SET.name(), set.key()});
        if (k == null || k == NEW_CERTS_PER_REGISTERED_DOMAIN) {
            if (k != null && quoted.isPresent()) targets.add(new String[] {k.name(), RegisteredDomains.of(quoted.get())});
            else if (set != null) RegisteredDomains.of(set.names()).forEach(x -> targets.add(new String[] {NEW_CERTS_PER_REGISTERED_DOMAIN.name(), x}));
        }
        if (k == AUTHZ_FAILURES_PER_IDENTIFIER || k == CONSECUTIVE_AUTHZ_FAILURES) {
            if (quoted.isPresent()) targets.add(new String[] {k.name(), account + " " + RegisteredDomains.normalize(quoted.get())});
            else if (set != null) set.names().forEach(x -> targets.add(new String[] {k.name(), account + " " + x}));
        }
        for (String[] target : targets) {
            LimitKind tk = LimitKind.valueOf(target[0]);
            Instant until = retryAfter(d, at, buckets.get(tk));
            s.refusals.merge(tk + " " + target[1], new CaRefusal(tk, target[1], until, detail),
                    (a, b) -> a.retryAfter().isAfter(b.retryAfter()) ? a : b);
        }
    }

    /** Retry-After as an instant, or as seconds after the event; absent → one refill period (an hour when the limit is unknown). */
    private static Instant retryAfter(JsonNode d, Instant at, Bucket b) {
        JsonNode r = d.path("retryAfter");
        if (r.isNumber()) return at.plusSeconds(r.asLong());
        if (r.isTextual()) {
            try {
                return Instant.parse(r.asText());
            } catch (DateTimeParseException e) {
                if (r.asText().matches("\\d+")) return at.plusSeconds(Long.parseLong(r.asText()));
            }
        }
        return at.plus(b == null ? Duration.ofHours(1) : b.refill());
    }

    private static NameSet names(JsonNode d) {
        JsonNode n = d.path("names");
        List<String> names = new ArrayList<>();
        if (n.isArray()) n.forEach(x -> names.add(x.asText()));
        else if (n.isTextual()) for (String x : n.asText().split("[,;\\s]+")) if (!x.isBlank()) names.add(x);
        return NameSet.of(names.isEmpty() ? List.of("?") : names);
    }

    private static Optional<String> text(JsonNode d, String field) {
        JsonNode n = d.path(field);
        return n.isMissingNode() || n.isNull() || n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText());
    }
}
