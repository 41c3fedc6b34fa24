package dev.certops.history;

import java.util.Optional;

/**
 * The outcome of walking the hash chain.
 *
 * @param ok          true when every event's hash and link hold and sequence numbers are gap-free
 * @param checked     how many events were checked
 * @param firstBroken the seq of the first event that does not verify (or where a gap/reorder was found)
 * @param problem     what is wrong there, in words an auditor understands
 */
public record AuditResult(boolean ok, long checked, Optional<Long> firstBroken, Optional<String> problem) {
    public static AuditResult valid(long checked) {
        return new AuditResult(true, checked, Optional.empty(), Optional.empty());
    }
    public static AuditResult broken(long checked, long seq, String problem) {
        return new AuditResult(false, checked, Optional.of(seq), Optional.of(problem));
    }
}
