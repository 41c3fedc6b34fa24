package dev.certops.runbook.action;

import dev.certops.config.CertificateConfig;
import dev.certops.history.HistoryException;
import dev.certops.runbook.ActionPreview;
import dev.certops.runbook.GateGuard;
import dev.certops.runbook.RunState;
import dev.certops.runbook.RunbookException;
import dev.certops.runbook.StepContext;
import dev.certops.runbook.StepSpec;
import dev.certops.runbook.StepState;
import dev.certops.services.CoreServices;
import dev.certops.team.Approvals;
import dev.certops.team.NotAllowedException;
import dev.certops.team.Operation;
import dev.certops.team.TeamAccess;
import dev.certops.team.TeamPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A team's two-person rule at runbook gates: approving a gate the policy marks (a revoke step, a
 * deploy outside a drill, any gate of mass-revocation) records a request with the step's preview, and
 * the step runs only once a second person with the approver role has approved it.
 */
final class TwoPersonGates implements GateGuard {
    private final CoreServices session;

    TwoPersonGates(CoreServices session) { this.session = session; }

    @Override
    public void beforeApproval(RunState run, StepState step, StepSpec spec, StepContext context, ActionPreview preview)
            throws RunbookException {
        TeamAccess team = session.team();
        if (!team.teamMode()) return;
        try {
            team.require(Operation.RUNBOOK);
        } catch (NotAllowedException e) {
            throw new RunbookException(e.getMessage());
        }
        Optional<String> gate = gate(team.policy(), run, spec);
        if (gate.isEmpty()) return;
        String action = spec.action().orElse("manual");
        List<String> subjects;
        try {
            subjects = Lookup.certificates(Lookup.config(session), context).stream().map(CertificateConfig::id).toList();
        } catch (RunbookException e) {
            subjects = List.of();
        }
        try {
            Approvals approvals = team.approvals();
            Optional<Approvals.Status> status = approvals.find(run.runId(), step.key());
            if (status.isPresent()) {
                Approvals.Status s = status.get();
                switch (s.state()) {
                    case GRANTED -> { return; }
                    case REFUSED -> throw new RunbookException(step.title() + " was refused by " + s.decidedBy().orElse("?") + ": "
                            + s.reason().orElse("") + ". Skip the step with a reason, or abort the run.");
                    case PENDING -> throw new RunbookException(waiting(gate.get(), s.request().approveCommand(), s.request().expiresAt().toString()));
                    case EXPIRED -> { } // ask again below
                }
            }
            var r = approvals.request(run.runId(), step.key(), gate.get(), action, subjects, "runbook " + run.runbook() + ": " + step.title(),
                    preview.summary(), preview.details());
            throw new RunbookException(waiting(gate.get(), r.approveCommand(), r.expiresAt().toString()));
        } catch (HistoryException e) {
            throw new RunbookException("the two-person rule cannot be checked: " + e.getMessage());
        } catch (NotAllowedException e) {
            throw new RunbookException(e.getMessage());
        }
    }

    private static String waiting(String gate, String command, String expires) {
        return "this step needs a second person (" + gate + " is a two-person gate): the request with this preview is waiting "
                + "until " + expires + ". An approver runs " + command + " --reason \"…\" or approves it in their console; then "
                + "approve here again.";
    }

    /** The two-person gate this step is, if any. */
    static Optional<String> gate(TeamPolicy policy, RunState run, StepSpec spec) {
        String action = spec.action().orElse("manual");
        if (run.runbook().equals("mass-revocation") && policy.twoPerson("mass-revocation")) return Optional.of("mass-revocation");
        if (action.equals("revoke") && policy.twoPerson("revoke")) return Optional.of("revoke");
        if (action.equals("deploy") && !run.drill() && policy.twoPerson("deploy-production")) return Optional.of("deploy-production");
        return Optional.empty();
    }
}
