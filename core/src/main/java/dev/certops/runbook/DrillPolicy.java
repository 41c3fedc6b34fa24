package dev.certops.runbook;

import dev.certops.config.CaConfig;
import dev.certops.config.HostConfig;
import java.net.URI;
import java.util.List;

/**
 * The single gate between a run and the world. In a drill every issuance goes to a CA's
 * <em>staging</em> directory and every deployment, rollback or revocation targets only hosts
 * tagged {@code drill: true}; an action that issues or deploys asks this policy for its directory
 * and its hosts, so a drill can never reach production whatever the runbook says.
 * Outside a drill the policy lets everything through unchanged.
 */
public record DrillPolicy(boolean drill) {

    /** The directory to issue or revoke through: the staging directory in a drill, else {@code production}. */
    public URI directory(CaConfig ca, boolean stagingRequested) throws RunbookException {
        if (drill || stagingRequested) {
            return ca.staging().orElseThrow(() -> new RunbookException("CA '" + ca.id() + "' has no staging directory, and "
                    + (drill ? "a drill never uses a production CA" : "staging was asked for")
                    + " — add 'staging: URL' to it under cas: in certops.yaml, or leave this CA out of the drill"));
        }
        return ca.directory();
    }

    /** True when issuance through this policy goes to a staging directory. */
    public boolean staging(boolean stagingRequested) { return drill || stagingRequested; }

    /** The hosts an action may touch; in a drill every one of them must be tagged {@code drill: true}. */
    public List<HostConfig> hosts(List<HostConfig> hosts) throws RunbookException {
        if (!drill) return List.copyOf(hosts);
        List<String> production = hosts.stream().filter(h -> !h.drill()).map(HostConfig::id).toList();
        if (!production.isEmpty()) {
            throw new RunbookException("a drill may only touch hosts tagged 'drill: true'; refused: " + String.join(", ", production)
                    + " — point the drill at drill hosts (or tag a dedicated drill target with drill: true in certops.yaml)");
        }
        return List.copyOf(hosts);
    }

    /** One host, same rule. */
    public HostConfig host(HostConfig host) throws RunbookException { return hosts(List.of(host)).get(0); }
}
