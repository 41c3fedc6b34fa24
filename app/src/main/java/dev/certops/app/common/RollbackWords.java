package dev.certops.app.common;

/** What a rollback confirmation says, the same from the Estate's Roll back… and the Deployments screen. */
public final class RollbackWords {
    private RollbackWords() { }

    public static String question(String certificateId, String hostId) {
        return "Roll back " + certificateId + " on " + hostId + "?";
    }

    /** What will happen, what is refused, and how it is undone. */
    public static String confirmation(String certificateId, String hostId) {
        return hostId + " goes back to the release of " + certificateId + " it served before the last deploy: the previous certificate is served again. "
                + "certops refuses if that certificate has expired or was revoked. It then tests the service's configuration, reloads it, "
                + "and checks that " + hostId + " now serves the previous certificate.\n\n"
                + "Nothing is deleted: the newer release stays on " + hostId + ". To undo, deploy it again with Deploy… on the Estate.";
    }
}
