package dev.certops.history;

import java.time.Clock;
import java.util.List;

/**
 * Copies a history into another database with the chain intact: the same seq, times, actors and
 * hashes (local SQLite → the team's PostgreSQL, or PostgreSQL → an offline SQLite copy for auditors).
 * The source must verify first. A target that already holds a prefix of the source (an interrupted
 * copy) is continued; a target whose events differ from the source's is refused with a
 * {@link HistoryConflictException} naming the first differing seq — two chains are never merged. The
 * target is verified after the copy, and its count and head hash compared with the source's.
 */
public final class HistoryMigration {
    static final int PAGE = 5_000;

    /**
     * @param copied how many events this run copied
     * @param total  events in the target now (= in the source)
     * @param head   the hash of the newest event, identical in both
     */
    public record Result(long copied, long total, String head) { }

    private HistoryMigration() { }

    public static Result copy(HistoryDatabase from, HistoryDatabase to, String actor, Clock clock) throws HistoryException {
        if (from.equals(to) || from.where().equals(to.where())) {
            throw new HistoryException("the source and the target are the same database (" + to.where() + ")");
        }
        try (HistoryStore source = HistoryStores.open(from, actor, clock);
             JdbcHistoryStore target = (JdbcHistoryStore) HistoryStores.open(to, actor, clock)) {
            AuditResult sourceCheck = source.verify();
            if (!sourceCheck.ok()) {
                throw new HistoryException("the source history at " + from.where() + " does not verify: "
                        + sourceCheck.problem().orElse("broken chain") + ". Nothing was copied; keep it as evidence.");
            }
            long sourceCount = sourceCheck.checked();
            long targetCount = target.count();
            compare(source, target, Math.min(sourceCount, targetCount), from, to);
            if (targetCount > sourceCount) {
                throw new HistoryConflictException("the target " + to.where() + " already has " + targetCount
                        + " events, more than the source's " + sourceCount + ": it holds a different, longer chain. "
                        + "Two chains are never merged; nothing was copied. Pick an empty target.");
            }
            long copied = 0;
            long after = targetCount;
            while (after < sourceCount) {
                List<HistoryEvent> page = source.query(EventQuery.all().afterSeq(after).limit(PAGE));
                if (page.isEmpty()) {
                    break;
                }
                target.appendVerbatim(page, after);
                after = page.get(page.size() - 1).seq();
                copied += page.size();
            }
            AuditResult check = target.verify();
            String sourceHead = source.head().map(HistoryEvent::hash).orElse("");
            String targetHead = target.head().map(HistoryEvent::hash).orElse("");
            if (!check.ok() || check.checked() != sourceCount || !sourceHead.equals(targetHead)) {
                throw new HistoryException("the copy at " + to.where() + " does not match the source after copying: "
                        + check.problem().orElse(check.checked() + " events verified of " + sourceCount)
                        + ". Do not use it; investigate before trying again.");
            }
            return new Result(copied, check.checked(), targetHead);
        }
    }

    private static void compare(HistoryStore source, HistoryStore target, long upTo, HistoryDatabase from,
                                HistoryDatabase to) throws HistoryException {
        long after = 0;
        while (after < upTo) {
            int n = (int) Math.min(PAGE, upTo - after);
            List<HistoryEvent> a = source.query(EventQuery.all().afterSeq(after).limit(n));
            List<HistoryEvent> b = target.query(EventQuery.all().afterSeq(after).limit(n));
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!a.get(i).hash().equals(b.get(i).hash()) || a.get(i).seq() != b.get(i).seq()) {
                    throw new HistoryConflictException("the target " + to.where() + " already has events whose hashes "
                            + "differ from the source " + from.where() + ", first at seq " + b.get(i).seq()
                            + " (target " + b.get(i).kind() + " by " + b.get(i).actor() + " at " + b.get(i).time()
                            + "; source " + a.get(i).kind() + " by " + a.get(i).actor() + " at " + a.get(i).time()
                            + "). Two different chains are never merged; nothing was copied. Pick an empty target.");
                }
            }
            if (a.size() < n || b.size() < n) {
                return;
            }
            after += n;
        }
    }
}
