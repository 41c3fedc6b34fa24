package dev.certops.operations;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.HostOutcome;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One deploy, decided before it runs: the certificate, the stored version, the release folder it creates,
 * the hosts in wave order and the CA that issued the version. The gate shows this object (its
 * {@link #preview()}: every remote command per host, from a dry run into the same release) and the
 * deploy executes this object, so what was shown and what runs cannot differ.
 *
 * @param hosts     the hosts it goes to, in wave order (those of {@code onlyHosts} when given)
 * @param onlyHosts the hosts asked for (empty = every host of the waves)
 * @param ca        who issued the version: the CA id from issuance, or the leaf's issuer for a version imported by hand
 */
public record DeployPlan(CertificateConfig certificate, List<HostConfig> knownHosts, DeployBundle bundle, String release,
                         List<String> hosts, Set<String> onlyHosts, String ca, DeploySettings settings,
                         Optional<String> forceReason, DryRun dryRun) {

    public DeployPlan {
        knownHosts = List.copyOf(knownHosts);
        hosts = List.copyOf(hosts);
        onlyHosts = Set.copyOf(onlyHosts);
    }

    public String certificateId() { return certificate.id(); }

    public String version() { return bundle.versionLabel(); }

    /** One line for a confirmation: what goes where. */
    public String summary() {
        return certificate.id() + " version " + bundle.versionLabel() + " (from " + ca + ") into release " + release + " on "
                + (hosts.isEmpty() ? "no host" : String.join(", ", hosts));
    }

    /** Every remote command per host, from a dry run into this plan's release; computed once, on first use. */
    public List<HostOutcome> preview() throws DeployException { return dryRun.hosts(this); }

    /** The dry run of a plan, kept once computed (a plan is previewed by the gate and by the log, the same text). */
    public static final class DryRun {
        private final Planner planner;
        private List<HostOutcome> hosts;

        interface Planner { List<HostOutcome> plan(DeployPlan p) throws DeployException; }

        DryRun(Planner planner) { this.planner = planner; }

        synchronized List<HostOutcome> hosts(DeployPlan p) throws DeployException {
            if (hosts == null) hosts = List.copyOf(planner.plan(p));
            return hosts;
        }
    }
}
