package dev.certops.deploy;

import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.HistoryUnwritableException;
import dev.certops.history.NewEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a deployment reports: the progress listener and history (one event per step).
 *
 * <p>Write-ahead: before a step changes a host (upload, swap, reload, rollback) its intent is recorded
 * ({@link #intent}); when that cannot be written the step does not run. After a step changed a host,
 * {@link #changed} says whether its record was written; when it was not, the host is rolled back as
 * after a failed verification. Outcome events of a host already restored are best effort (logged).
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
        record(new NewEvent(EventKinds.DEPLOY_STEP, certificateId, ok ? "ok" : "failed", details(host, step, release, Optional.empty(), detail)));
    }

    private static Map<String, Object> details(String host, String step, String release, Optional<String> previous, String detail) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("host", host);
        d.put("step", step);
        d.put("release", release == null ? "" : release);
        previous.ifPresent(p -> d.put("previous", p));
        d.put("detail", detail == null ? "" : detail);
        return d;
    }

    /**
     * Records that {@code step} is about to change {@code host} ("deploy.intent"), before it runs. Throws
     * when that cannot be written: the caller must not run the step.
     */
    void intent(String host, String step, String release, String detail) throws HistoryUnwritableException {
        intent(host, step, release, Optional.empty(), detail);
    }

    /** As {@link #intent(String, String, String, String)}, naming the release live before (a swap: where recovery goes back to). */
    void intent(String host, String step, String release, Optional<String> previous, String detail) throws HistoryUnwritableException {
        if (history.isEmpty()) return;
        history.get().appendIntent(new NewEvent(EventKinds.DEPLOY_INTENT, certificateId, "intent", details(host, step, release, previous, detail)));
    }

    /** Records a step that has changed the host; empty when recorded, else why it could not be. */
    Optional<String> changed(String host, String step, String release, String detail) {
        if (history.isEmpty()) return Optional.empty();
        try {
            history.get().append(new NewEvent(EventKinds.DEPLOY_STEP, certificateId, "ok", details(host, step, release, Optional.empty(), detail)));
            return Optional.empty();
        } catch (HistoryException ex) {
            LOG.error("could not record {} on {} for {} in history: {}", step, host, certificateId, ex.getMessage());
            return Optional.of(ex.reason());
        }
    }

    Optional<HistoryStore> history() { return history; }

    void record(NewEvent e) {
        if (history.isEmpty()) return;
        try {
            history.get().append(e);
        } catch (HistoryException ex) {
            LOG.error("could not record {} for {} in history: {}", e.kind(), certificateId, ex.getMessage());
        }
    }
}
