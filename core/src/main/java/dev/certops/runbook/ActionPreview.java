package dev.certops.runbook;

import java.util.List;

/**
 * Exactly what a step will do, shown before it runs: which CA, which hosts, which commands.
 *
 * @param summary one line
 * @param details the full list (one line each: a CA and its directory, a host and the remote commands)
 * @param changesTheWorld true when the action issues, revokes, deploys or rolls back (never true for probes)
 * @param changesNothing true when the step has nothing to act on (no host in the wave, no certificate to revoke):
 *        its approve gate is passed with a note instead of asking the operator to approve nothing
 */
public record ActionPreview(String summary, List<String> details, boolean changesTheWorld, boolean changesNothing) {
    public ActionPreview {
        details = List.copyOf(details);
        if (changesNothing && changesTheWorld) throw new IllegalArgumentException("a preview that changes nothing cannot change the world");
    }

    public ActionPreview(String summary, List<String> details, boolean changesTheWorld) {
        this(summary, details, changesTheWorld, false);
    }

    public static ActionPreview readOnly(String summary, String... details) {
        return new ActionPreview(summary, List.of(details), false);
    }

    /** A step with nothing to act on: running it changes nothing, so its gate asks no one. */
    public static ActionPreview nothingToChange(String summary, List<String> details) {
        return new ActionPreview(summary, details, false, true);
    }
}
