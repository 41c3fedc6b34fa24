package dev.certops.deploy;

import java.util.List;
import java.util.Optional;

/**
 * What a rollout did, host by host in wave order, and why it stopped if it did.
 *
 * @param stoppedAt the wave (0 = canary) whose failure stopped the rollout
 */
public record RolloutResult(String certificateId, String versionLabel, List<HostOutcome> hosts, Optional<Integer> stoppedAt) {
    public RolloutResult { hosts = List.copyOf(hosts); }

    public boolean ok() { return stoppedAt.isEmpty() && hosts.stream().allMatch(HostOutcome::ok); }

    public Optional<HostOutcome> firstFailure() { return hosts.stream().filter(h -> !h.ok() && !(h instanceof HostOutcome.Skipped)).findFirst(); }

    /** Hosts that took the release with nothing to prove it served (no endpoint): a warning, never "verified". */
    public List<String> unverifiedHosts() { return hosts.stream().filter(HostOutcome::unverified).map(HostOutcome::hostId).toList(); }

    /** Every host's line, then a verdict. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (HostOutcome h : hosts) b.append(h.summary()).append('\n');
        return b.append(verdict()).toString();
    }

    /** The rollout's last line: "api version 3: every host verified." or where it stopped and the first failure. */
    public String verdict() {
        StringBuilder b = new StringBuilder();
        if (ok() && !unverifiedHosts().isEmpty()) b.append(certificateId).append(" version ").append(versionLabel).append(": deployed to every host; WARNING — not verified on ")
                .append(String.join(", ", unverifiedHosts())).append(" (no endpoint of the certificate is served there).");
        else if (ok()) b.append(certificateId).append(" version ").append(versionLabel).append(": every host verified.");
        else b.append(certificateId).append(" version ").append(versionLabel).append(": rollout stopped")
                .append(stoppedAt.map(w -> " in wave " + (w + 1) + (w == 0 ? " (canary)" : "")).orElse(""))
                .append(firstFailure().map(f -> " — first failure: " + f.hostId()).orElse("")).append('.');
        if (Interruptions.requested()) b.append(" certops was asked to stop (SIGTERM): the hosts in progress were finished or rolled back"
                + " before it exited, and the interruption is recorded; hosts not started were skipped — deploy again to continue.");
        return b.toString();
    }
}
