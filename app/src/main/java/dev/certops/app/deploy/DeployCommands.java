package dev.certops.app.deploy;

import dev.certops.deploy.DeployListener;
import dev.certops.deploy.HostOutcome;
import dev.certops.operations.CertificateOperations;
import dev.certops.operations.RollbackPlan;
import dev.certops.operations.UnknownCertificateException;
import dev.certops.root.CompositionRoot;
import java.util.Optional;

/** The console's deploy commands through core's operations layer, the object the CLI and runbooks use (history, lease). */
public final class DeployCommands {
    private final CompositionRoot session;

    public DeployCommands(CompositionRoot session) { this.session = session; }

    /** Puts the previous release of one host back live, holding the certificate's lease; returns the one-line outcome. */
    public HostOutcome rollback(String certificateId, String hostId, DeployListener listener) throws Exception {
        CertificateOperations operations = session.operations();
        RollbackPlan plan = resolving(() -> operations.planRollback(certificateId, hostId, Optional.empty()));
        return operations.rollback(plan, listener, "console rollback of " + certificateId + " on " + hostId, notice -> { });
    }

    /** What {@link #resolving} runs. */
    public interface Resolving<T> { T get() throws Exception; }

    /** An unknown certificate, as the console says it: the certificate may have been renamed since the settings were read. */
    public static <T> T resolving(Resolving<T> r) throws Exception {
        try {
            return r.get();
        } catch (UnknownCertificateException e) {
            throw new IllegalArgumentException(e.getMessage() + " — reload the settings if it was renamed", e);
        }
    }
}
