package dev.certops.operations;

import dev.certops.deploy.RolloutResult;

/** A deploy's outcome per host, with the plan it executed (the one its gate showed). */
public record DeployResult(DeployPlan plan, RolloutResult rollout) {
    public boolean ok() { return rollout.ok(); }
}
