package dev.certops.ratelimit;

import static dev.certops.ratelimit.LimitKind.AUTHZ_FAILURES_PER_IDENTIFIER;
import static dev.certops.ratelimit.LimitKind.CONSECUTIVE_AUTHZ_FAILURES;
import static dev.certops.ratelimit.LimitKind.NEW_ACCOUNTS_PER_IP;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_EXACT_SET;
import static dev.certops.ratelimit.LimitKind.NEW_CERTS_PER_REGISTERED_DOMAIN;
import static dev.certops.ratelimit.LimitKind.NEW_ORDERS_PER_ACCOUNT;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import dev.certops.json.Json;
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

    void apply(HistoryEvent e, Json.Flat d, String ca, ScopeState s) {
        Map<LimitKind, Bucket> buckets = ledger.limits().buckets(ca, d.bool("staging"));
        long t = e.time().toEpochMilli();
        String account = d.text("account", "");
        switch (e.kind()) {
            case EventKinds.ACME_ORDER_CREATED -> {
                Exemption ex = exemption(s, names(d), text(d, "replaces"), d.bool("renewal"));
                if (!e.subject().isEmpty()) s.pendingOrders.put(e.subject(), ex);
                if (ex == Exemption.NONE) spend(s, buckets, NEW_ORDERS_PER_ACCOUNT, account, t);
            }
            case EventKinds.ACME_CERT_ISSUED -> {
                NameSet set = names(d);
                Exemption ex = s.pendingOrders.remove(e.subject());
                if (ex == null) ex = exemption(s, set, text(d, "replaces"), d.bool("renewal"));
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
                String key = account + " " + RegisteredDomains.normalize(d.text("identifier", "?"));
                spend(s, buckets, AUTHZ_FAILURES_PER_IDENTIFIER, key, t);
                spend(s, buckets, CONSECUTIVE_AUTHZ_FAILURES, key, t);
            }
            case EventKinds.ACME_AUTHZ_VALID ->
                s.bucket(CONSECUTIVE_AUTHZ_FAILURES).remove(account + " " + RegisteredDomains.normalize(d.text("identifier", "?")));
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
        // the registered domains (the suffix list: ~0.1 s to load) only where the CA counts them
        if (ex == Exemption.NONE && buckets.containsKey(NEW_CERTS_PER_REGISTERED_DOMAIN)) {
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

    private static void refuse(ScopeState s, Map<LimitKind, Bucket> buckets, Json.Flat d, String account, Instant at) {
        String detail = d.text("detail", "");
        Optional<LimitKind> kind = RateLimitProblem.classify(detail);
        Optional<String> quoted = RateLimitProblem.quotedName(detail);
        NameSet set = d.has("names") ? names(d) : null;
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
    private static Instant retryAfter(Json.Flat d, Instant at, Bucket b) {
        Optional<String> r = d.text("retryAfter");   // an instant, or seconds (a JSON number or digits)
        if (r.isPresent()) {
            if (r.get().matches("\\d+(\\.\\d*)?")) return at.plusSeconds((long) Double.parseDouble(r.get()));
            try {
                return Instant.parse(r.get());
            } catch (DateTimeParseException e) {
                // neither: one refill period, below
            }
        }
        return at.plus(b == null ? Duration.ofHours(1) : b.refill());
    }

    private static NameSet names(Json.Flat d) {
        List<String> names = new ArrayList<>(d.array("names").orElse(List.of()));
        if (d.text("names").isPresent()) for (String x : d.text("names").get().split("[,;\\s]+")) if (!x.isBlank()) names.add(x);
        return NameSet.of(names.isEmpty() ? List.of("?") : names);
    }

    private static Optional<String> text(Json.Flat d, String field) {
        return d.text(field).filter(x -> !x.isBlank());
    }
}
