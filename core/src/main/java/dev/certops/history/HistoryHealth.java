package dev.certops.history;

import java.util.Optional;

/**
 * Whether the history can be reached right now. A console shows its views as stale while
 * {@code reachable} is false; nothing that changes the world runs then.
 *
 * @param where   the database (file or URL, never a password)
 * @param headSeq the newest seq seen (0 when empty or unreachable)
 * @param problem why it cannot be reached
 */
public record HistoryHealth(boolean reachable, String where, long headSeq, Optional<String> problem) {
    public static HistoryHealth reachable(String where, long headSeq) {
        return new HistoryHealth(true, where, headSeq, Optional.empty());
    }

    public static HistoryHealth unreachable(String where, String problem) {
        return new HistoryHealth(false, where, 0, Optional.of(problem));
    }
}
