package dev.certops.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.AuditExport;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Who approved each change, read in chain order: a granted approval is used by its requester
 * ({@code approval.used}, naming the approver) just before the change's lease is taken; every event
 * of that actor on that subject until the lease is released carries the approver.
 */
public final class ApprovalTrail implements AuditExport.Approvers {
    private final Map<String, String> active = new HashMap<>();

    @Override
    public String approvedBy(HistoryEvent e) {
        String key = TeamAccess.principalOf(e.actor()) + "\n" + e.subject();
        if (e.kind().equals(Approvals.USED)) {
            try {
                JsonNode d = TeamAccess.JSON.readTree(e.details());
                String approver = d.path("approvedBy").asText();
                active.put(TeamAccess.principalOf(e.actor()) + "\n" + d.path("usedFor").asText(), approver);
                return approver;
            } catch (IOException ex) {
                return "";
            }
        }
        if (e.kind().equals(Approvals.GRANTED) || e.kind().equals(Approvals.REFUSED)) return TeamAccess.principalOf(e.actor());
        String approver = active.getOrDefault(key, "");
        if (e.kind().equals(EventKinds.LEASE_RELEASED) || e.kind().equals(EventKinds.LEASE_BROKEN)) active.remove(key);
        return approver;
    }
}
