package dev.certops.runbook;

import java.util.List;

/**
 * Exactly what a step will do, shown before it runs: which CA, which hosts, which commands.
 *
 * @param summary one line
 * @param details the full list (one line each: a CA and its directory, a host and the remote commands)
 * @param changesTheWorld true when the action issues, revokes, deploys or rolls back (never true for probes)
 */
public record ActionPreview(String summary, List<String> details, boolean changesTheWorld) {
    public ActionPreview { details = List.copyOf(details); }

    public static ActionPreview readOnly(String summary, String... details) {
        return new ActionPreview(summary, List.of(details), false);
    }
}
