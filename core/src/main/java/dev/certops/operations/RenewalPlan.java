package dev.certops.operations;

import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import java.util.List;
import java.util.Optional;

/**
 * One certificate's renewal, decided before it runs: a new version issued by {@link #issue()} (its CAs in
 * order, the version it replaces for ARI) and deployed to {@link #hosts()} in wave order — or, for a re-deploy,
 * the stored version {@link #redeployVersion()} deployed again to the hosts that do not serve it. The console's
 * confirmation shows {@link #summary()}; {@link CertificateOperations#renew} executes this object, and the
 * {@link RenewalResult} it returns carries it.
 *
 * @param issue           the issuance; empty for a re-deploy
 * @param redeployVersion the stored version deployed again; empty when a new version is issued
 * @param hosts           where it goes, in wave order (empty = issued and stored only)
 */
public record RenewalPlan(CertificateConfig certificate, Optional<IssuePlan> issue, Optional<Integer> redeployVersion, List<String> hosts) {

    /** What the deploy's release folder is named: the new version's serial is not known until the CA has issued it. */
    public static final String NEW_RELEASE = "a new release named by the time and the new serial";

    public RenewalPlan {
        hosts = List.copyOf(hosts);
        if (issue.isPresent() == redeployVersion.isPresent()) throw new IllegalArgumentException("a renewal either issues or re-deploys");
    }

    public String certificateId() { return certificate.id(); }

    /** True when a new version is issued (false: a stored version is deployed again). */
    public boolean issues() { return issue.isPresent(); }

    /** The CAs tried, in order (none for a re-deploy). */
    public List<CaConfig> cas() { return issue.map(IssuePlan::cas).orElse(List.of()); }

    /** One paragraph for a confirmation: what is ordered from whom, and where it goes. */
    public String summary() {
        String where = hosts.isEmpty() ? "not deployed (the certificate has no hosts)"
                : "deployed wave by wave, canary first, to " + String.join(", ", hosts) + ", into " + NEW_RELEASE
                + "; each host is verified by a handshake and rolled back when the check fails";
        if (redeployVersion.isPresent()) {
            return certificate.id() + ": stored version " + redeployVersion.get() + " " + where.replace("into " + NEW_RELEASE, "into a new release");
        }
        return issue.get().summary() + "; then " + where;
    }
}
