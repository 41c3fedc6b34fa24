package dev.certops.app.estate;

import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.app.deploy.DeployCommands;
import dev.certops.config.CertificateConfig;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeployListener;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.RolloutResult;
import dev.certops.operations.CertificateOperations;
import dev.certops.deploy.RemotePaths;
import dev.certops.operations.DeployPlan;
import dev.certops.operations.RenewalPlan;
import dev.certops.operations.RenewalResult;
import dev.certops.operations.RevokePlan;
import dev.certops.runbook.RunbookCatalog;
import dev.certops.root.CompositionRoot;
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
    private final Map<String, RenewalPlan> shownRenewals = new ConcurrentHashMap<>();

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

    /** How a deploy confirmation begins when there is nothing to deploy (the dialog then only informs). */
    static final String NOTHING_TO_DEPLOY = "Nothing can be deployed: ";

    /**
     * What Deploy… will do, from the operations plan: the version and the CA that issued it, and per wave each host with
     * its release folder. The plan is made here, when the confirmation is built, and {@link #deploy} executes that plan:
     * a version stored while the dialog was open is not what goes live.
     */
    @Override
    public String deployConfirmation(String certificateId) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        DeployPlan plan;
        try {
            plan = operations.planDeploy(certificateId, Optional.empty(), Set.of(), DeploySettings.DEFAULT, Optional.empty());
        } catch (DeployException e) {
            shown.remove(certificateId);
            return NOTHING_TO_DEPLOY + e.getMessage() + "\nPress Renew now to issue a version first.";
        }
        shown.put(certificateId, plan);
        if (plan.hosts().isEmpty()) return NOTHING_TO_DEPLOY + certificateId + " has no host in its deploy waves.";
        StringBuilder b = new StringBuilder(certificateId + " version " + plan.version() + ", issued by " + plan.ca() + ", goes live wave by wave:\n");
        b.append(waves(cert, plan.release()));
        return b.append("Each host: upload into the release folder, atomic swap of live, config test, reload, handshake check. A host whose check "
                + "fails is rolled back and later waves do not start. The certificate's lease is held throughout.").toString();
    }

    /**
     * What Renew now will do, from the operations layer's renewal plan: the certificate, its names and key, the CAs in
     * failover order with their directories, and per wave each host with the release folder the new version goes
     * into. The plan is made here and {@link #renew} executes that plan (the CAs and hosts shown are the ones used).
     */
    @Override
    public String renewConfirmation(String certificateId) throws Exception {
        CertificateConfig cert = certificate(certificateId);
        RenewalPlan plan = DeployCommands.resolving(() -> operations.planRenew(certificateId));
        shownRenewals.put(certificateId, plan);
        List<String> cas = plan.cas().stream().map(c -> c.id() + " (" + c.directory() + ")").toList();
        StringBuilder b = new StringBuilder("A new certificate for " + certificateId + " (" + String.join(", ", cert.names()) + ", " + cert.key()
                + ") is ordered now from CA " + cas.get(0) + (cas.size() > 1 ? ", failing over to " + String.join(", then ", cas.subList(1, cas.size()))
                + " when it is down" : "") + ".\n");
        if (plan.hosts().isEmpty()) b.append("It is not deployed anywhere (no deploy waves): it is stored as a new version.\n");
        else b.append("Then it goes live wave by wave, canary first, each host verified by a handshake and rolled back if its check fails:\n")
                .append(waves(cert, null));
        return b.append("This spends the CA's rate-limit budget; the certificate's lease is held throughout.").toString();
    }

    /**
     * Renews one certificate now through the operations layer: the plan its confirmation showed (or a fresh one when
     * none was shown), issued and deployed under the certificate's lease, recorded as the renew timer records it.
     */
    public String renew(String certificateId) throws Exception {
        RenewalPlan confirmed = shownRenewals.remove(certificateId);
        RenewalPlan plan = confirmed != null ? confirmed : DeployCommands.resolving(() -> operations.planRenew(certificateId));
        RenewalResult result = operations.renew(plan, progress -> { }, "console renew of " + certificateId, NOTICE_IGNORED);
        if (result instanceof RenewalResult.Failed f) {
            // the certificate's own reason, as the renew timer's outcome words it: never "failed" without why
            String reason = f.failure().reason().lines().findFirst().orElse("no reason was recorded");
            return "Renewal failed — " + certificateId + ": FAILED at " + f.failure().stage() + " — " + reason;
        }
        return result.summary();
    }

    /** Per wave, each host and its release folder ("web1 → /srv/certs/api/releases/R"; {@code release} null: not named yet). */
    private String waves(CertificateConfig cert, String release) throws Exception {
        var cfg = DeployCommands.resolving(() -> session.config());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cert.waves().size(); i++) {
            b.append("  wave ").append(i + 1).append(i == 0 ? " (canary)" : "").append(":\n");
            for (String hostId : cert.waves().get(i)) {
                String folder = cfg.host(hostId).map(h -> new RemotePaths(h.certDirFor(cert)).releasesDir())
                        .map(dir -> release == null ? "a new release in " + dir : dir + "/" + release).orElse("(host not in certops.yaml)");
                b.append("    ").append(hostId).append(" → ").append(folder).append('\n');
            }
        }
        return b.toString();
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
