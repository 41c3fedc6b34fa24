package dev.certops.deploy;

import java.util.List;
import java.util.Optional;

/** How a deployment ended on one host. */
public sealed interface HostOutcome {
    String hostId();

    /** True only when the new release is live and was seen served. */
    default boolean ok() { return this instanceof Verified; }

    /** One line an operator reads in a summary: what is where. */
    String summary();

    /** Why a deploy to a host without endpoints is a warning. */
    String NOT_VERIFIED = "NOT verified: no endpoint of this certificate is served by this host, so no handshake proved it (add the endpoint to the certificate's endpoints:)";

    /** A warning an operator should read: the host took the release, but nothing proved it is served. */
    default boolean unverified() { return this instanceof Verified v && v.endpointsVerified() == 0; }

    /**
     * The new release is live; every endpoint this host serves presents it. With no endpoint to
     * handshake ({@code endpointsVerified == 0}) nothing proved it: {@link #unverified()}, a warning.
     */
    record Verified(String hostId, String release, Optional<String> previousRelease, int endpointsVerified) implements HostOutcome {
        public String summary() {
            return endpointsVerified == 0 ? hostId + ": deployed, WARNING — live = " + release + ", " + NOT_VERIFIED
                    : hostId + ": verified — live = " + release + ", served on " + endpointsVerified + (endpointsVerified == 1 ? " endpoint" : " endpoints");
        }
    }

    /**
     * The new release was put live, then taken back; {@code restoredVerified} says whether the old certificate is served again.
     * {@code replacedSerial} is the serial of the release taken back, {@code restoredSerial} that of the release live again (when readable).
     */
    record RolledBack(String hostId, String failedRelease, Optional<String> restoredRelease, String step, String reason,
                      boolean restoredVerified, String restoreDetail, Optional<String> replacedSerial, Optional<String> restoredSerial) implements HostOutcome {
        /** The step of a rollback the operator asked for (certops rollback, the console), not one after a failure. */
        public static final String ON_REQUEST = "operator request";

        public String summary() {
            String why = step.equals(ON_REQUEST) ? "rolled back on the operator's request" : "rolled back after " + step + " failed (" + reason + ")";
            return hostId + ": " + why + " — " + where();
        }

        /** Where the host ended: "live = RELEASE, previous certificate verified served" (for a summary whose reason was already shown). */
        public String where() {
            return "live = " + restoredRelease.orElse("no release")
                    + (restoredVerified ? ", previous certificate verified served" : ", previous certificate NOT verified: " + restoreDetail);
        }
    }

    /** Failed before the live link moved, or could not be restored; {@code live} is what the link points to as far as known. */
    record Failed(String hostId, String step, String reason, Optional<String> live, boolean liveTouched) implements HostOutcome {
        public String summary() {
            return hostId + ": FAILED at " + step + " (" + reason + ") — " + (liveTouched
                    ? "live MAY HAVE CHANGED" + live.map(l -> " (it pointed at " + l + " before)").orElse("")
                            + ": the next deploy or rollback of this certificate checks it first from the record; or look with `certops hosts check " + hostId + "`"
                    : "live untouched" + live.map(l -> " = " + l).orElse(""));
        }
    }

    /** Not attempted because an earlier wave failed (or the rollout stopped). */
    record Skipped(String hostId, String reason) implements HostOutcome {
        public String summary() { return hostId + ": not attempted — " + reason; }
    }

    /** --dry-run: the remote commands that would run, in order. */
    record Planned(String hostId, List<String> commands) implements HostOutcome {
        public Planned { commands = List.copyOf(commands); }
        public String summary() { return hostId + ": " + commands.size() + (commands.size() == 1 ? " remote command" : " remote commands") + " planned"; }
        @Override public boolean ok() { return true; }
    }
}
