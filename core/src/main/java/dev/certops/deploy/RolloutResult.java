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

    /** Every host's line, then a verdict. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (HostOutcome h : hosts) b.append(h.summary()).append('\n');
        return b.append(verdict()).toString();
    }

    /** The rollout's last line: "api version 3: every host verified." or where it stopped and the first failure. */
    public String verdict() {
        StringBuilder b = new StringBuilder();
        if (ok()) b.append(certificateId).append(" version ").append(versionLabel).append(": every host verified.");
        else b.append(certificateId).append(" version ").append(versionLabel).append(": rollout stopped")
                .append(stoppedAt.map(w -> " in wave " + (w + 1) + (w == 0 ? " (canary)" : "")).orElse(""))
                .append(firstFailure().map(f -> " — first failure: " + f.hostId()).orElse("")).append('.');
        return b.toString();
    }
}
