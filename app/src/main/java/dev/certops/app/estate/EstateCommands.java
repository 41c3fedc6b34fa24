package dev.certops.app.estate;

import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.app.deploy.DeployCommands;
import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.RolloutResult;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.DeployPlan;
import dev.certops.operations.RevokePlan;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.root.CompositionRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The estate screen's world-changing actions through core's operations layer, the same object the CLI
 * ({@code certops deploy}, {@code certops revoke}) and runbook steps use: each holds the certificate's lease
 * while it runs and records in history. Returns one-line outcomes for the estate's message.
 */
public final class EstateCommands implements EstateViewModel.Actions {
    private final CompositionRoot session;
    private final CertificateOperations operations;
    /** The deploy plan each certificate's confirmation was built from, executed when it is confirmed. */
    private final Map<String, DeployPlan> shown = new ConcurrentHashMap<>();

    public EstateCommands(CompositionRoot session) {
        this.session = session;
        this.operations = session.operations();
    }

    @Override
    public String deploy(String certificateId) throws Exception {
        DeployPlan confirmed = shown.remove(certificateId);
        DeployPlan plan = confirmed != null ? confirmed
                : DeployCommands.resolving(() -> operations.planDeploy(certificateId, Optional.empty(), Set.of(), DeploySettings.DEFAULT, Optional.empty()));
        RolloutResult r = operations.deploy(plan, DeployListener.NONE, "console deploy of " + certificateId, NOTICE_IGNORED).rollout();
        String[] lines = r.summary().split("\n");
        String verdict = lines[lines.length - 1];
        return r.ok() ? "Deployed " + verdict : verdict + " " + String.join("; ", List.of(lines).subList(0, lines.length - 1))
                + " — the Deployments screen has each host's reason.";
    }

    @Override
    public String rollback(String certificateId, String hostId) throws Exception {
        return new DeployCommands(session).rollback(certificateId, hostId, DeployListener.NONE).summary();
    }

    @Override
    public String revoke(String certificateId, String reason) throws Exception {
        RevocationReason r = RevocationReason.of(reason).orElseThrow(() -> new IllegalArgumentException(
                "'" + reason + "' is not a revocation reason — choose one of " + String.join(", ", EstateViewModel.REVOCATION_REASONS)));
        RevokePlan plan = DeployCommands.resolving(() -> operations.planRevoke(certificateId, Optional.empty(), r));
        var v = operations.revoke(plan, "console revoke of " + certificateId, NOTICE_IGNORED);
        String line = "Revoked " + certificateId + " version " + v.number() + " (serial " + v.serial() + ") at " + v.ca() + ", reason " + r.cliName() + ".";
        return r == RevocationReason.KEY_COMPROMISE
                ? line + " Next: start the key-compromise runbook for " + certificateId + " (Start runbook…, serial " + v.serial()
                + ") to issue with a new key and deploy it."
                : line;
    }

    /**
     * The waves the deploy confirmation shows. The deploy plan (the newest stored version, its release) is made
     * here, when the confirmation is built, and {@link #deploy} executes that plan: a version stored while the
     * dialog was open is not what goes live.
     */
    @Override
    public List<String> waves(String certificateId) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        try {
            shown.put(certificateId, operations.planDeploy(certificateId, Optional.empty(), Set.of(), DeploySettings.DEFAULT, Optional.empty()));
        } catch (DeployException e) {
            shown.remove(certificateId); // no stored version: the deploy says so when it is confirmed
        }
        List<String> out = new ArrayList<>();
        for (List<String> wave : cert.waves()) out.add(String.join(", ", wave));
        return out;
    }

    @Override
    public List<String> runbooks() throws Exception {
        return session.runbooks().catalog().list().stream().map(RunbookCatalog.Entry::name).toList();
    }

    private CertificateConfig certificate(String certificateId) throws Exception {
        return DeployCommands.resolving(() -> operations.certificate(certificateId));
    }

    /** Notices of the operations layer (an interrupted deploy settled first) reach the console through history. */
    static final Consumer<String> NOTICE_IGNORED = notice -> { };
}
