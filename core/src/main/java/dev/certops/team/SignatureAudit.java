package dev.certops.team;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.identity.IdentityException;
import dev.certops.identity.SshSignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks every event's signature against the allowed signers in force at that moment: the set an
 * admin last recorded before the event ({@code team.signers.recorded}, itself signed by an admin of
 * the set before it, or — the first time — by an admin the new set lists). Names each event whose
 * signature does not match it (forged, or re-used from another event), was made by a key not allowed
 * then or by someone else than its actor, and each change of the world recorded unsigned once the
 * team's signers were in force.
 */
public final class SignatureAudit {
    /** Kinds that change the world (or who may): these must be signed once a team's signers are recorded. */
    static final List<String> MUST_BE_SIGNED = List.of("acme.order.created", "acme.certificate.", "deploy.", "lease.acquired",
            "lease.broken", "runbook.", "approval.", "team.", "renew.succeeded");

    private SignatureAudit() { }

    /** One event that does not hold. */
    public record Problem(long seq, String kind, String actor, String what) {
        @Override public String toString() { return "event " + seq + " (" + kind + ", by " + actor + "): " + what; }
    }

    public record Result(long checked, long signed, List<Problem> problems) {
        public boolean ok() { return problems.isEmpty(); }
    }

    public static Result verify(JdbcHistoryStore history) throws HistoryException {
        List<Problem> problems = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        long[] counts = {0, 0};
        AllowedSigners[] inForce = {null};
        history.forEachSigned(0, "", (e, sig) -> {
            counts[0]++;
            boolean recording = e.kind().equals(TeamAccess.RECORDED);
            AllowedSigners next = null;
            if (recording) {
                try {
                    next = TeamAccess.parseRecorded(e).signers();
                } catch (HistoryException ex) {
                    problems.add(new Problem(e.seq(), e.kind(), e.actor(), ex.getMessage()));
                }
            }
            if (sig == null) {
                if ((inForce[0] != null || recording) && mustBeSigned(e.kind())) {
                    problems.add(new Problem(e.seq(), e.kind(), e.actor(), "changes the world but is not signed"));
                }
            } else {
                counts[1]++;
                Long earlier = seen.putIfAbsent(sig, e.seq());
                check(e, sig, earlier, recording ? (inForce[0] != null ? inForce[0] : next) : inForce[0], recording)
                        .ifPresent(what -> problems.add(new Problem(e.seq(), e.kind(), e.actor(), what)));
            }
            if (recording && next != null) inForce[0] = next;
        });
        return new Result(counts[0], counts[1], List.copyOf(problems));
    }

    private static Optional<String> check(HistoryEvent e, String signature, Long earlier, AllowedSigners allowed, boolean recording) {
        SshSignature sig;
        try {
            sig = SshSignature.parse(signature);
        } catch (IdentityException ex) {
            return Optional.of("its signature cannot be read (" + ex.getMessage() + ")");
        }
        if (!sig.verifies(e.hash().getBytes(US_ASCII))) {
            return Optional.of(earlier != null ? "carries the signature of event " + earlier + " (re-used): it does not sign this event"
                    : "its signature by " + sig.key() + " does not match the event (forged, or the event was altered)");
        }
        if (allowed == null) return Optional.empty(); // before any team: a signature that holds, nothing to check it against
        Optional<AllowedSigners.Signer> who = allowed.find(sig.key());
        if (who.isEmpty()) return Optional.of("signed by " + sig.key() + ", a key not in the allowed signers in force then");
        String principal = TeamAccess.principalOf(e.actor());
        if (!who.get().principals().contains(principal)) {
            return Optional.of("signed with " + who.get().principal() + "'s key but recorded as " + principal);
        }
        if (recording && !who.get().has(Role.ADMIN)) {
            return Optional.of("changed the allowed signers, but " + who.get().principal() + " was not an admin then");
        }
        return Optional.empty();
    }

    static boolean mustBeSigned(String kind) {
        for (String p : MUST_BE_SIGNED) if (p.endsWith(".") ? kind.startsWith(p) : kind.equals(p)) return true;
        return false;
    }
}
