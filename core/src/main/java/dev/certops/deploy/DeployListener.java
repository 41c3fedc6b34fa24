package dev.certops.deploy;

/**
 * Progress of a deployment, host by host. Called from the deploying threads (hosts in a wave run
 * concurrently): implementations hand over to their own thread (the console) or synchronise.
 */
@FunctionalInterface
public interface DeployListener {
    DeployListener NONE = (host, state, reason) -> { };

    /** {@code reason} says why (a failure's cause, the release, the served fingerprint); never a secret. */
    void onHostState(String hostId, HostState state, String reason);
}
