package dev.certops.team;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.NewEvent;
import dev.certops.identity.IdentityException;
import dev.certops.identity.SshSignature;
import dev.certops.json.Json;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two-person rule, kept in history (so every console of a team sees it live): a request
 * ({@code approval.requested}, signed by who asks), a decision ({@code approval.granted} or
 * {@code approval.refused}, signed by a second person with the approver role, with a reason), and
 * each use of a granted approval ({@code approval.used}). A decision counts only when its signature
 * verifies against the allowed signers in force, by an approver who is not the requester, before the
 * request expired.
 */
public final class Approvals {
    public static final String REQUESTED = "approval.requested";
    public static final String GRANTED = "approval.granted";
    public static final String REFUSED = "approval.refused";
    public static final String USED = "approval.used";
    /** How the id of a command's request starts (a runbook gate's request has its run's id instead). */
    static final String COMMAND_REQUEST = "r-";

    private final TeamAccess access;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Approvals(TeamAccess access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    /** Where a request stands. */
    public enum State { PENDING, GRANTED, REFUSED, EXPIRED }

    /** A request with its decision (verified), if any, and the subjects it has been used for. */
    public record Status(ApprovalRequest request, State state, Optional<String> decidedBy, Optional<String> reason, List<String> usedFor) { }

    /** Every request of this history with where it stands, oldest first. */
    public List<Status> all() throws HistoryException {
        Map<Long, ApprovalRequest> requests = new LinkedHashMap<>();
        Map<Long, Status> decided = new LinkedHashMap<>();
        Map<Long, List<String>> used = new LinkedHashMap<>();
        Optional<TeamAccess.InForce> inForce = access.inForce();
        Instant now = clock.instant();
        List<HistoryEvent> events = new ArrayList<>();
        List<String> sigs = new ArrayList<>();
        access.history().forEachSigned(0, "approval.", (e, sig) -> {
            events.add(e);
            sigs.add(sig);
        });
        for (int i = 0; i < events.size(); i++) {
            HistoryEvent e = events.get(i);
            JsonNode d = details(e);
            switch (e.kind()) {
                case REQUESTED -> requests.put(e.seq(), request(e, d));
                case GRANTED, REFUSED -> {
                    ApprovalRequest r = requests.get(d.path("request").asLong());
                    if (r == null || decided.containsKey(r.seq())) continue;
                    if (verifiedApprover(e, sigs.get(i), r, inForce).isEmpty()) continue; // a forged or self-made decision counts for nothing
                    if (e.time().isAfter(r.expiresAt())) continue;
                    decided.put(r.seq(), new Status(r, e.kind().equals(GRANTED) ? State.GRANTED : State.REFUSED,
                            Optional.of(TeamAccess.principalOf(e.actor())), Optional.of(d.path("reason").asText()), List.of()));
                }
                case USED -> used.computeIfAbsent(d.path("request").asLong(), k -> new ArrayList<>()).add(d.path("usedFor").asText());
                default -> { }
            }
        }
        List<Status> out = new ArrayList<>();
        for (ApprovalRequest r : requests.values()) {
            Status s = decided.get(r.seq());
            List<String> u = used.getOrDefault(r.seq(), List.of());
            if (s == null) {
                out.add(new Status(r, r.expiredAt(now) ? State.EXPIRED : State.PENDING, Optional.empty(), Optional.empty(), u));
            } else {
                out.add(new Status(r, s.state() == State.GRANTED && r.expiredAt(now) ? State.EXPIRED : s.state(), s.decidedBy(), s.reason(), u));
            }
        }
        return out;
    }

    /** Requests waiting for a second person now (not decided, not expired). */
    public List<ApprovalRequest> pending() throws HistoryException {
        return all().stream().filter(s -> s.state() == State.PENDING).map(Status::request).toList();
    }

    /** The newest request for run (or request) {@code id} and {@code step}. */
    public Optional<Status> find(String id, String step) throws HistoryException {
        Status found = null;
        for (Status s : all()) if (s.request().id().equals(id) && s.request().step().equals(step)) found = s;
        return Optional.ofNullable(found);
    }

    /**
     * Records a request signed by this person (or returns the one already waiting for the same id and
     * step). {@code preview} is what the gate shows: the very thing that runs once approved.
     */
    public ApprovalRequest request(String id, String step, String gate, String operation, List<String> subjects, String why,
                                   String preview, List<String> previewDetails) throws HistoryException {
        Optional<Status> existing = find(id, step);
        if (existing.isPresent() && existing.get().state() == State.PENDING) return existing.get().request();
        String me = access.principal().orElseThrow(() -> new NotAllowedException("a two-person request needs a signing key listed in "
                + AllowedSigners.FILE));
        Instant now = clock.instant();
        Instant expires = now.plus(access.policy().approvalsExpireAfter());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", step);
        d.put("gate", gate);
        d.put("operation", operation);
        d.put("subjects", subjects);
        d.put("why", why);
        d.put("preview", preview);
        d.put("previewDetails", previewDetails);
        d.put("expiresAt", expires.toString());
        HistoryEvent e = access.history().append(new NewEvent(REQUESTED, id, "info", d));
        return request(e, details(e));
    }

    /**
     * Approves ({@code grant}) or refuses request {@code id} / {@code step} as this person, with a
     * reason. Refused: not an approver, the requester themself, expired, already decided.
     */
    public Status decide(String id, String step, boolean grant, String reason) throws HistoryException {
        if (reason == null || reason.isBlank()) {
            throw new NotAllowedException("a decision needs a reason: it is recorded with your signature, e.g. --reason \"checked the serial with the CA\"");
        }
        Optional<Status> found = find(id, step);
        Optional<String> requester = found.map(f -> f.request().requester());
        if (requester.isPresent() && access.principal().filter(requester.get()::equals).isPresent()) {
            throw new NotAllowedException(requester.get() + " asked for " + id + " " + step + " and cannot approve their own request: "
                    + "a second person with the approver role must. Nothing was recorded.");
        }
        AllowedSigners.Signer me = access.require(Operation.APPROVE).orElseThrow(() -> new NotAllowedException(
                "there is no " + AllowedSigners.FILE + " here, so there is no two-person rule and nothing to approve"));
        Status s = found.orElseThrow(() -> new NotAllowedException("no request '" + id + " " + step
                + "' in this history — ./certops approve --list shows the pending ones"));
        ApprovalRequest r = s.request();
        if (me.principals().contains(r.requester())) {
            throw new NotAllowedException(me.principal() + " asked for " + id + " " + step + " and cannot approve their own request: "
                    + "a second person with the approver role must. Nothing was recorded.");
        }
        if (s.state() == State.EXPIRED || r.expiredAt(clock.instant())) {
            throw new NotAllowedException("request " + id + " " + step + " expired at " + r.expiresAt() + " (asked by " + r.requester()
                    + "): it can no longer be approved. " + r.requester() + " asks again if it is still needed. Nothing was recorded.");
        }
        if (s.state() != State.PENDING) {
            throw new NotAllowedException("request " + id + " " + step + " was already " + s.state().name().toLowerCase()
                    + " by " + s.decidedBy().orElse("?") + " (" + s.reason().orElse("") + "). Nothing was recorded.");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("request", r.seq());
        d.put("step", r.step());
        d.put("requester", r.requester());
        d.put("approver", me.principal());
        d.put("reason", reason.strip());
        access.history().append(new NewEvent(grant ? GRANTED : REFUSED, id, grant ? "ok" : "refused", d));
        return find(id, step).orElseThrow();
    }

    /**
     * Records that the granted request {@code granted} is now used for {@code subjects}
     * ({@code approval.used}, naming the approver), once per subject: the changes that follow on each
     * subject carry the approver in the audit export and the run report.
     */
    private void use(Status granted, List<String> subjects) throws HistoryException {
        if (granted.state() != State.GRANTED) throw new IllegalArgumentException("only a granted request can be used");
        ApprovalRequest r = granted.request();
        List<NewEvent> uses = new ArrayList<>();
        for (String subject : subjects) {
            if (granted.usedFor().contains(subject)) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("request", r.seq());
            d.put("step", r.step());
            d.put("usedFor", subject);
            d.put("approvedBy", granted.decidedBy().orElse(""));
            uses.add(new NewEvent(USED, r.id(), "ok", d));
        }
        access.history().appendAll(uses);
    }

    /**
     * The two-person check of a lease (CLI, console or runbook step): uses a granted approval of this
     * person's for {@code operation} on {@code subject}, once; else asks (or reminds) and throws
     * {@link ApprovalNeededException} naming the command the second person runs.
     */
    void useOrRequest(String gate, String operation, String subject, String why) {
        try {
            String me = access.principal().orElseThrow();
            Optional<Status> usable = Optional.empty();
            Optional<Status> waiting = Optional.empty();
            for (Status s : all()) {
                ApprovalRequest r = s.request();
                if (!r.requester().equals(me) || !r.operation().equals(operation) || !r.subjects().contains(subject)) continue;
                if (s.state() == State.GRANTED && !s.usedFor().contains(subject)) usable = Optional.of(s);
                if (s.state() == State.PENDING) waiting = Optional.of(s);
            }
            if (usable.isPresent()) {
                use(usable.get(), List.of(subject));
                return;
            }
            if (waiting.isPresent()) {
                ApprovalRequest r = waiting.get().request();
                throw new ApprovalNeededException(operation + " of " + subject + " waits for a second person (" + gate + " is a two-person "
                        + "gate): request " + r.id() + " " + r.step() + " is pending until " + r.expiresAt() + ". An approver runs "
                        + r.approveCommand() + " --reason \"…\" (or approves it in their console); then run this again. Nothing was done.", r);
            }
            byte[] b = new byte[3];
            random.nextBytes(b);
            String id = COMMAND_REQUEST + HexFormat.of().formatHex(b);
            ApprovalRequest r = request(id, operation, gate, operation, List.of(subject), why, operation + " " + subject, List.of(why));
            throw new ApprovalNeededException(gate + " is a two-person gate: asked for approval as request " + id + " " + operation
                    + " (expires " + r.expiresAt() + "). A second person with the approver role runs " + r.approveCommand()
                    + " --reason \"…\" (or approves it in their console); then run this again. Nothing was done.", r);
        } catch (HistoryException e) {
            throw new NotAllowedException("the two-person rule cannot be checked: " + e.getMessage() + ". Nothing was done.");
        }
    }

    /** The approver's principal when {@code decision}'s signature holds, by an approver in force who is not the requester. */
    private static Optional<String> verifiedApprover(HistoryEvent decision, String signature, ApprovalRequest r,
                                                     Optional<TeamAccess.InForce> inForce) {
        if (signature == null || inForce.isEmpty()) return Optional.empty();
        try {
            SshSignature sig = SshSignature.parse(signature);
            if (!sig.verifies(decision.hash().getBytes(US_ASCII))) return Optional.empty();
            Optional<AllowedSigners.Signer> who = inForce.get().signers().find(sig.key());
            String actor = TeamAccess.principalOf(decision.actor());
            return who.filter(w -> w.has(Role.APPROVER) && w.principals().contains(actor) && !w.principals().contains(r.requester()))
                    .map(AllowedSigners.Signer::principal);
        } catch (IdentityException e) {
            return Optional.empty();
        }
    }

    private static ApprovalRequest request(HistoryEvent e, JsonNode d) {
        List<String> subjects = new ArrayList<>();
        d.path("subjects").forEach(n -> subjects.add(n.asText()));
        List<String> details = new ArrayList<>();
        d.path("previewDetails").forEach(n -> details.add(n.asText()));
        return new ApprovalRequest(e.seq(), e.subject(), d.path("step").asText(), d.path("gate").asText(), d.path("operation").asText(),
                subjects, TeamAccess.principalOf(e.actor()), d.path("why").asText(), d.path("preview").asText(), details, e.time(),
                Instant.parse(d.path("expiresAt").asText()));
    }

    private static JsonNode details(HistoryEvent e) {
        try {
            return Json.mapper().readTree(e.details());
        } catch (IOException ex) {
            return Json.mapper().createObjectNode();
        }
    }
}
