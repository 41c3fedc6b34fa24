package dev.certops.team;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.AuditExport;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryEvent;
import dev.certops.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who approved each change, read in chain order: a granted approval is used by its requester
 * ({@code approval.used}, naming the approver) just before the change's lease is taken; every event
 * of that actor on that subject until the lease is released carries the approver. A runbook gate's
 * grant covers the step approved at that gate (its renewals under mass-revocation take no gated
 * lease): from the grant, the requester's events on the request's subjects carry the approver.
 */
public final class ApprovalTrail implements AuditExport.Approvers {
    private final Map<String, String> active = new HashMap<>();
    private final Map<Long, List<String>> gateSubjects = new HashMap<>();

    @Override
    public String approvedBy(HistoryEvent e) {
        String key = TeamAccess.principalOf(e.actor()) + "\n" + e.subject();
        if (e.kind().equals(Approvals.USED)) {
            JsonNode d = details(e);
            String approver = d.path("approvedBy").asText();
            if (!approver.isEmpty()) active.put(TeamAccess.principalOf(e.actor()) + "\n" + d.path("usedFor").asText(), approver);
            return approver;
        }
        if (e.kind().equals(Approvals.REQUESTED) && !e.subject().startsWith(Approvals.COMMAND_REQUEST)) {
            List<String> subjects = new ArrayList<>();
            details(e).path("subjects").forEach(n -> subjects.add(n.asText()));
            gateSubjects.put(e.seq(), subjects);
        }
        if (e.kind().equals(Approvals.GRANTED)) {
            JsonNode d = details(e);
            for (String subject : gateSubjects.getOrDefault(d.path("request").asLong(), List.of())) {
                active.put(d.path("requester").asText() + "\n" + subject, TeamAccess.principalOf(e.actor()));
            }
        }
        if (e.kind().equals(Approvals.GRANTED) || e.kind().equals(Approvals.REFUSED)) return TeamAccess.principalOf(e.actor());
        String approver = active.getOrDefault(key, "");
        if (e.kind().equals(EventKinds.LEASE_RELEASED) || e.kind().equals(EventKinds.LEASE_BROKEN)) active.remove(key);
        return approver;
    }

    private static JsonNode details(HistoryEvent e) {
        try {
            return Json.mapper().readTree(e.details());
        } catch (IOException ex) {
            return Json.mapper().createObjectNode();
        }
    }
}
