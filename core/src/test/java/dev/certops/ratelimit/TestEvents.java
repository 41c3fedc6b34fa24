package dev.certops.ratelimit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds history events as the ACME side records them, with increasing seq. */
final class TestEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long seq;
    private final String ca;
    private final String account;

    TestEvents(String ca, String account) {
        this.ca = ca;
        this.account = account;
    }

    HistoryEvent event(String kind, String subject, Instant at, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca);
        d.put("staging", false);
        d.put("account", account);
        d.putAll(extra);
        try {
            return new HistoryEvent(++seq, at, "test", kind, subject, "ok", JSON.writeValueAsString(d), "", "");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    HistoryEvent order(String certId, Instant at, List<String> names) {
        return event(EventKinds.ACME_ORDER_CREATED, certId, at, Map.of("names", names));
    }

    HistoryEvent issued(String certId, Instant at, List<String> names, String serial) {
        return event(EventKinds.ACME_CERT_ISSUED, certId, at, Map.of("names", names, "serial", serial));
    }

    /** An order and its issuance at the same instant. */
    List<HistoryEvent> issue(String certId, Instant at, List<String> names, String serial) {
        return List.of(order(certId, at, names), issued(certId, at, names, serial));
    }

    HistoryEvent authzFailed(String identifier, Instant at) {
        return event(EventKinds.ACME_AUTHZ_FAILED, "", at, Map.of("identifier", identifier, "challenge", "http-01", "detail", "404"));
    }

    HistoryEvent authzValid(String identifier, Instant at) {
        return event(EventKinds.ACME_AUTHZ_VALID, "", at, Map.of("identifier", identifier));
    }

    HistoryEvent rateLimited(Instant at, Instant retryAfter, String detail, List<String> names) {
        return event(EventKinds.ACME_RATE_LIMITED, "", at, Map.of("retryAfter", retryAfter.toString(), "detail", detail, "names", names));
    }
}
