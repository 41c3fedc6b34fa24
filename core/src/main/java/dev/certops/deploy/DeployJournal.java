package dev.certops.deploy;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a deployment reports: the progress listener and history (one event per step). A history
 * that cannot be written is logged and does not stop a swap half-way: the host's state matters more.
 */
final class DeployJournal {
    private static final Logger LOG = LoggerFactory.getLogger(DeployJournal.class);
    private final Optional<HistoryStore> history;
    private final DeployListener listener;
    private final String certificateId;

    DeployJournal(Optional<HistoryStore> history, DeployListener listener, String certificateId) {
        this.history = history;
        this.listener = listener;
        this.certificateId = certificateId;
    }

    String certificateId() { return certificateId; }

    void state(String host, HostState state, String reason) {
        try {
            listener.onHostState(host, state, reason);
        } catch (RuntimeException e) {
            LOG.warn("deploy listener failed on {} {}: {}", host, state, e.toString());
        }
    }

    void step(String host, String step, String release, boolean ok, String detail) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", host);
        d.put("step", step);
        d.put("release", release == null ? "" : release);
        d.put("detail", detail == null ? "" : detail);
        record(new NewEvent(EventKinds.DEPLOY_STEP, certificateId, ok ? "ok" : "failed", d));
    }

    void record(NewEvent e) {
        if (history.isEmpty()) return;
        try {
            history.get().append(e);
        } catch (HistoryException ex) {
            LOG.error("could not record {} for {} in history: {}", e.kind(), certificateId, ex.getMessage());
        }
    }
}
