package dev.certops.app.common;

import dev.certops.words.Words;
import java.util.List;

/** What a rollback confirmation says, the same from the Estate's Roll back… and the Deployments screen. */
public final class RollbackWords {
    private RollbackWords() { }

    public static String question(String certificateId, String hostId) {
        return "Roll back " + certificateId + " on " + hostId + "?";
    }

    /** The question before an aborted run's deploys are rolled back ({@code targets}: "cert@host"). */
    public static String runQuestion(List<String> targets) {
        return "Roll back " + Words.count(targets.size(), "host") + " this run deployed to?";
    }

    /** What rolling back an aborted run's deploys does, host by host, and how it is undone. */
    public static String runConfirmation(List<String> targets) {
        List<String> each = targets.stream().map(t -> {
            int at = t.indexOf('@');
            return at < 0 ? t : t.substring(0, at) + " on " + t.substring(at + 1);
        }).toList();
        return "Each of these goes back to the release it served before this run: " + Words.list(each) + ". "
                + "certops refuses a previous certificate that has expired or was revoked, then tests each service's configuration, "
                + "reloads it and checks what is served. A host that fails stays offered for another try; the others go ahead.\n\n"
                + "Nothing is deleted: the new releases stay on the hosts. To undo, deploy again with Deploy… on the Estate.";
    }

    /** What will happen, what is refused, and how it is undone. */
    public static String confirmation(String certificateId, String hostId) {
        return hostId + " goes back to the release of " + certificateId + " it served before the last deploy: the previous certificate is served again. "
                + "certops refuses if that certificate has expired or was revoked. It then tests the service's configuration, reloads it, "
                + "and checks that " + hostId + " now serves the previous certificate.\n\n"
                + "Nothing is deleted: the newer release stays on " + hostId + ". To undo, deploy it again with Deploy… on the Estate.";
    }
}
