package dev.certops.acme;

import dev.certops.acme.IssuanceListener.Stage;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records each failover decision and its reason in history ({@code acme.attempt}, {@code acme.failover}) and tells the listener. */
final class Decisions {
    private final HistoryStore history;
    private final IssuanceListener listener;
    private final String certificateId;

    Decisions(HistoryStore history, IssuanceListener listener, String certificateId) {
        this.history = history;
        this.listener = listener;
        this.certificateId = certificateId;
    }

    /** One attempt ended: what it was ({@code outcome}), what happens next ({@code decision}: retry|wait|failover|stop|skip) and why. */
    void attempt(CaEndpoint ca, String outcome, String decision, String reason) throws HistoryException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("outcome", outcome);
        d.put("decision", decision);
        d.put("reason", reason);
        history.append(new NewEvent(EventKinds.ACME_ATTEMPT, certificateId, decision, d));
        listener.progress(ca.label(), Stage.DECISION, decision + ": " + reason);
    }

    void failover(CaEndpoint from, String to, String reason) throws HistoryException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("from", from.id());
        d.put("to", to);
        d.put("reason", reason);
        history.append(new NewEvent(EventKinds.ACME_FAILOVER, certificateId, "info", d));
        listener.progress(from.label(), Stage.DECISION, "failing over to " + to);
    }
}
