package dev.certops.runbook.action;

import dev.certops.operations.CertificateOperations;
import dev.certops.runbook.ActionRegistry;
import dev.certops.scan.TlsProbe;
import dev.certops.services.CoreServices;

/** The one place that builds the engine's actions over a workspace's services. */
public final class RunbookActions {
    private RunbookActions() { }

    /** Every action type the built-in runbooks use, each wired to its core service. */
    public static ActionRegistry forSession(CoreServices session, CertificateOperations operations) {
        TlsProbe probe = TlsProbe.withDefaults();
        return new ActionRegistry()
                .register(new NoteAction())
                .register(new WaitAction(session.clock(), d -> Thread.sleep(d.toMillis())))
                .register(new BudgetActions.Check(session))
                .register(new BudgetActions.PlanBatches(session))
                .register(new CheckCaaAction(session))
                .register(new DnsTestAction(session))
                .register(new ProbeCaAction(session))
                .register(new SelectCertificatesAction(session, probe, session.clock()))
                .register(new ListCaPathsAction(session))
                .register(AcmeActions.issue(session, operations))
                .register(AcmeActions.revoke(session, operations))
                .register(new DeployActions.Deploy(session, operations))
                .register(new VerifyServedAction(session, probe, session.clock(), d -> Thread.sleep(d.toMillis())))
                .register(new DeployActions.Rollback(session, operations))
                .register(new ScanAction(session, probe));
    }
}
