package dev.certops.history;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.certops.identity.IdentityException;
import dev.certops.identity.SshSignature;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Copies a history into another database with the chain intact: the same seq, times, actors and
 * hashes (local SQLite → the team's PostgreSQL, or PostgreSQL → an offline SQLite copy for auditors).
 * The source must verify first. A target that already holds a prefix of the source (an interrupted
 * copy) is continued; a target whose events differ from the source's is refused with a
 * {@link HistoryConflictException} naming the first differing seq — two chains are never merged. The
 * target is verified after the copy, and its count and head hash compared with the source's.
 *
 * <p>Signatures ({@code event_signatures}, team mode) travel with their events, in the same
 * transaction; a target copied before signatures were copied gets the missing ones. After the copy
 * every signature of the target is compared with the source's and checked against its event's hash
 * (SSHSIG); whether each signer was allowed at that moment is {@code audit verify}'s question.
 */
public final class HistoryMigration {
    static final int PAGE = 5_000;

    /**
     * @param copied how many events this run copied
     * @param total  events in the target now (= in the source)
     * @param head   the hash of the newest event, identical in both
     * @param signatures signatures in the target now, each identical to the source's
     * @param signaturesNotMatching signatures (copied as they were) that do not verify over their event's
     *                   hash in the source either: forged or re-used; {@code audit verify} names them
     */
    public record Result(long copied, long total, String head, long signatures, long signaturesNotMatching) { }

    private HistoryMigration() { }

    public static Result copy(HistoryDatabase from, HistoryDatabase to, String actor, Clock clock) throws HistoryException {
        if (from.equals(to) || from.where().equals(to.where())) {
            throw new HistoryException("the source and the target are the same database (" + to.where() + ")");
        }
        try (JdbcHistoryStore source = (JdbcHistoryStore) HistoryStores.open(from, actor, clock);
             JdbcHistoryStore target = (JdbcHistoryStore) HistoryStores.open(to, actor, clock)) {
            AuditResult sourceCheck = source.verify();
            if (!sourceCheck.ok()) {
                throw new HistoryException("the source history at " + from.where() + " does not verify: "
                        + sourceCheck.problem().orElse("broken chain") + ". Nothing was copied; keep it as evidence.");
            }
            long sourceCount = sourceCheck.checked();
            long targetCount = target.count();
            Map<Long, String> missing = compare(source, target, Math.min(sourceCount, targetCount), from, to);
            if (targetCount > sourceCount) {
                throw new HistoryConflictException("the target " + to.where() + " already has " + targetCount
                        + " events, more than the source's " + sourceCount + ": it holds a different, longer chain. "
                        + "Two chains are never merged; nothing was copied. Pick an empty target.");
            }
            if (!missing.isEmpty()) target.appendVerbatim(List.of(), targetCount, missing);
            long copied = 0;
            long after = targetCount;
            while (after < sourceCount) {
                List<HistoryEvent> page = source.query(EventQuery.all().afterSeq(after).limit(PAGE));
                if (page.isEmpty()) {
                    break;
                }
                long last = page.get(page.size() - 1).seq();
                target.appendVerbatim(page, after, source.signatures(after, last));
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
            long[] signatures = checkSignatures(source, target, sourceCount, to);
            return new Result(copied, check.checked(), targetHead, signatures[0], signatures[1]);
        }
    }

    /**
     * Compares every signature of the target with the source's (after the copy) and checks each over
     * its event's hash; returns {signatures, not matching their event}.
     */
    private static long[] checkSignatures(JdbcHistoryStore source, JdbcHistoryStore target, long upTo, HistoryDatabase to)
            throws HistoryException {
        long signatures = 0;
        long notMatching = 0;
        long after = 0;
        while (after < upTo) {
            long end = Math.min(upTo, after + PAGE);
            Map<Long, String> a = source.signatures(after, end);
            Map<Long, String> b = target.signatures(after, end);
            if (!a.equals(b)) {
                long seq = firstDifference(a, b);
                throw new HistoryException("the copy at " + to.where() + " does not match the source after copying: the signature of "
                        + "event " + seq + " " + (b.containsKey(seq) ? (a.containsKey(seq) ? "differs" : "is not in the source") : "is missing")
                        + ". Do not use it; investigate before trying again.");
            }
            if (!b.isEmpty()) {
                for (HistoryEvent e : target.query(EventQuery.all().afterSeq(after).limit((int) (end - after)))) {
                    String sig = b.get(e.seq());
                    if (sig != null && !verifies(sig, e)) notMatching++;
                }
            }
            signatures += b.size();
            after = end;
        }
        return new long[] {signatures, notMatching};
    }

    private static boolean verifies(String signature, HistoryEvent e) {
        try {
            return SshSignature.parse(signature).verifies(e.hash().getBytes(US_ASCII));
        } catch (IdentityException ex) {
            return false;
        }
    }

    private static long firstDifference(Map<Long, String> a, Map<Long, String> b) {
        Map<Long, String> all = new TreeMap<>(a);
        all.putAll(b);
        for (Long seq : all.keySet()) if (!Objects.equals(a.get(seq), b.get(seq))) return seq;
        return -1;
    }

    /**
     * The target's first {@code upTo} events must be the source's, and their signatures too; returns the
     * signatures the target lacks (a copy made before signatures were copied), to add.
     */
    private static Map<Long, String> compare(JdbcHistoryStore source, JdbcHistoryStore target, long upTo, HistoryDatabase from,
                                HistoryDatabase to) throws HistoryException {
        Map<Long, String> missing = new HashMap<>();
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
                return missing;
            }
            Map<Long, String> theirs = source.signatures(after, after + n);
            Map<Long, String> ours = target.signatures(after, after + n);
            for (Map.Entry<Long, String> sig : theirs.entrySet()) {
                String here = ours.remove(sig.getKey());
                if (here == null) {
                    missing.put(sig.getKey(), sig.getValue());
                } else if (!here.equals(sig.getValue())) {
                    throw new HistoryConflictException("the target " + to.where() + " already has event " + sig.getKey()
                            + " with another signature than the source " + from.where() + ". Nothing was copied; investigate "
                            + "(audit verify on both) before trying again.");
                }
            }
            if (!ours.isEmpty()) {
                throw new HistoryConflictException("the target " + to.where() + " has a signature on event " + ours.keySet().iterator().next()
                        + " that the source " + from.where() + " does not have. Nothing was copied; investigate (audit verify on "
                        + "both) before trying again.");
            }
            after += n;
        }
        return missing;
    }
}
