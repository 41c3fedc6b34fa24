package dev.certops.team;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.fasterxml.jackson.databind.JsonNode;
import dev.certops.config.Workspace;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.JdbcHistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.identity.IdentityException;
import dev.certops.identity.SigningKey;
import dev.certops.identity.SshSignature;
import dev.certops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Who may do what in this workspace, decided in one place that every path changing the world passes
 * through (the lease on what it changes, a runbook gate, the console's and the CLI's commands).
 *
 * <p>Without {@code team/allowed_signers}: everything is allowed, as before (one operator, recorded as
 * user@machine). With it: the actor is the key they sign with ({@link Identities}); the key must be in
 * the allowed signers <em>as last recorded in history</em> by an admin ({@code ./certops team record}),
 * with the role the operation needs; every event this session appends is signed over its hash; and the
 * gates of {@link TeamPolicy} need a second person's approval ({@link Approvals}).
 */
public final class TeamAccess {
    public static final String RECORDED = "team.signers.recorded";

    private final Workspace workspace;
    private final Map<String, String> env;
    private final Clock clock;
    private JdbcHistoryStore history;
    private Predicate<String> productionDeploy = subject -> true;
    private Optional<SigningKey> key;
    private String keyProblem;
    private Approvals approvals;

    public TeamAccess(Workspace workspace, Map<String, String> env, Clock clock) {
        this.workspace = workspace;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /** The files of this workspace's team folder; empty when team/allowed_signers does not exist (single operator). */
    public Optional<TeamFiles> files() throws TeamException {
        Path signers = workspace.root().resolve(AllowedSigners.FILE);
        if (!Files.isRegularFile(signers)) return Optional.empty();
        Path policy = workspace.root().resolve(TeamPolicy.FILE);
        try {
            String s = Files.readString(signers);
            String p = Files.isRegularFile(policy) ? Files.readString(policy) : "";
            return Optional.of(new TeamFiles(AllowedSigners.parse(s, signers.toString()), TeamPolicy.parse(p, policy.toString())));
        } catch (IOException e) {
            throw new TeamException(signers + " cannot be read: " + e.getMessage());
        }
    }

    /** The team folder's two files as parsed. */
    public record TeamFiles(AllowedSigners signers, TeamPolicy policy) { }

    /** What an admin last recorded in history: the allowed signers and the policy in force. */
    public record InForce(AllowedSigners signers, TeamPolicy policy, long seq, String recordedBy) { }

    public boolean teamMode() {
        return Files.isRegularFile(workspace.root().resolve(AllowedSigners.FILE));
    }

    /** The history this session appends to: signed from now on when this person has a key (team mode). */
    public synchronized void attach(JdbcHistoryStore store) {
        this.history = store;
        if (!teamMode()) return;
        signingKey().ifPresent(k -> store.signWith(hash -> SshSignature.sign(k, hash.getBytes(US_ASCII)).base64()));
    }

    /** Which deploys count as production for the deploy-production gate (default: all). */
    public synchronized void productionDeploys(Predicate<String> certificateIsProduction) { this.productionDeploy = certificateIsProduction; }

    /** This person's signing key, when one is found (never throws: the problem is kept for {@link #keyProblem()}). */
    public synchronized Optional<SigningKey> signingKey() {
        if (key == null) {
            try {
                Optional<AllowedSigners> listed = files().map(TeamFiles::signers);
                key = Optional.of(Identities.resolve(env, listed));
            } catch (IdentityException | TeamException e) {
                key = Optional.empty();
                keyProblem = e.getMessage();
            }
        }
        return key;
    }

    public synchronized Optional<String> keyProblem() {
        signingKey();
        return Optional.ofNullable(keyProblem);
    }

    /** The principal this person acts as: the first principal of their allowed_signers line (recorded set, else the file). */
    public Optional<String> principal() {
        Optional<SigningKey> k = signingKey();
        if (k.isEmpty() || !teamMode()) return Optional.empty();
        try {
            Optional<AllowedSigners> set = inForce().map(InForce::signers).or(() -> filesQuietly().map(TeamFiles::signers));
            return set.flatMap(s -> s.find(k.get().publicKey())).map(AllowedSigners.Signer::principal);
        } catch (HistoryException e) {
            return Optional.empty();
        }
    }

    /** The principal this person's key has in the team folder's file (before anything is recorded): the actor of their events. */
    public Optional<String> principalInFile() {
        if (!teamMode()) return Optional.empty();
        Optional<SigningKey> k = signingKey();
        return k.flatMap(key -> filesQuietly().flatMap(f -> f.signers().find(key.publicKey()))).map(AllowedSigners.Signer::principal);
    }

    private Optional<TeamFiles> filesQuietly() {
        try {
            return files();
        } catch (TeamException e) {
            return Optional.empty();
        }
    }

    /** The allowed signers and policy last recorded in history, if any. */
    public Optional<InForce> inForce() throws HistoryException {
        JdbcHistoryStore h = history();
        HistoryEvent[] last = {null};
        h.forEachSigned(0, RECORDED, (e, sig) -> last[0] = e);
        if (last[0] == null) return Optional.empty();
        return Optional.of(parseRecorded(last[0]));
    }

    static InForce parseRecorded(HistoryEvent e) throws HistoryException {
        try {
            JsonNode d = Json.mapper().readTree(e.details());
            return new InForce(AllowedSigners.parse(d.path("allowedSigners").asText(), "history event " + e.seq()),
                    TeamPolicy.parse(d.path("policy").asText(), "history event " + e.seq()), e.seq(), principalOf(e.actor()));
        } catch (IOException | TeamException ex) {
            throw new HistoryException("the allowed signers recorded in history event " + e.seq() + " cannot be read: " + ex.getMessage(), ex);
        }
    }

    /** "alice@example.com" from an event's actor "alice@example.com/c-1a2b3c4d-4711". */
    public static String principalOf(String actor) {
        int slash = actor.indexOf('/');
        return slash < 0 ? actor : actor.substring(0, slash);
    }

    /**
     * Checks that this person may do {@code op} now and returns their line of the allowed signers;
     * empty in single-operator mode. Throws {@link NotAllowedException} saying what to add or do.
     */
    public Optional<AllowedSigners.Signer> require(Operation op) {
        TeamFiles files;
        try {
            Optional<TeamFiles> f = files();
            if (f.isEmpty()) return Optional.empty();
            files = f.get();
        } catch (TeamException e) {
            throw new NotAllowedException(e.getMessage() + " — nothing was done; fix the file (an admin then records it)");
        }
        SigningKey k = signingKey().orElseThrow(() -> new NotAllowedException("this workspace has " + AllowedSigners.FILE
                + ", so every change is signed: " + keyProblem + ". Nothing was done."));
        Optional<InForce> recorded;
        try {
            recorded = inForce();
        } catch (HistoryException e) {
            throw new NotAllowedException("cannot tell who may " + op.words() + ": " + e.getMessage());
        }
        boolean changed = recorded.isEmpty() || !recorded.get().signers().sha256().equals(files.signers().sha256())
                || !recorded.get().policy().text().equals(files.policy().text());
        AllowedSigners governing = recorded.map(InForce::signers).orElse(files.signers());
        Optional<AllowedSigners.Signer> me = governing.find(k.publicKey());
        if (me.isEmpty()) {
            throw new NotAllowedException("your key " + k.publicKey() + " (" + k.source() + ") is not in " + AllowedSigners.FILE
                    + (recorded.isPresent() ? " as recorded" : "") + ", so you may not " + op.words() + ". Add a line for it (then an admin runs "
                    + "./certops team record):\n  you@example.com roles=\"" + op.role().id() + "\" " + k.publicKey().openSsh());
        }
        if (op == Operation.RECORD_SIGNERS) {
            if (!me.get().has(Role.ADMIN)) throw missingRole(me.get(), op);
            return me;
        }
        if (changed) {
            throw new NotAllowedException(recorded.isEmpty()
                    ? AllowedSigners.FILE + " has not been recorded yet: an admin listed in it runs ./certops team record (it signs "
                    + "the file into history), then this works. Nothing was done."
                    : AllowedSigners.FILE + " or " + TeamPolicy.FILE + " changed since " + recorded.get().recordedBy()
                    + " recorded them (event " + recorded.get().seq() + "): an admin reviews the change and runs ./certops team record. "
                    + "Nothing was done.");
        }
        if (!me.get().has(op.role())) throw missingRole(me.get(), op);
        return me;
    }

    private static NotAllowedException missingRole(AllowedSigners.Signer me, Operation op) {
        String roles = me.roles().stream().map(Role::id).sorted().collect(Collectors.joining(","));
        return new NotAllowedException(me.principal() + " (roles " + roles + ") may not " + op.words() + ": that needs the "
                + op.role().id() + " role. Add it to " + me.principal() + "'s line in " + AllowedSigners.FILE + " (roles=\"" + roles
                + "," + op.role().id() + "\", line " + me.line() + "), then an admin runs ./certops team record. Nothing was done.");
    }

    /**
     * Records the team folder as it is now (an admin's signed event): from then on it is the set in force.
     * Returns the event; an unchanged folder records nothing.
     */
    public Optional<HistoryEvent> recordSigners() throws HistoryException {
        AllowedSigners.Signer me = require(Operation.RECORD_SIGNERS).orElseThrow(() -> new NotAllowedException(
                "there is no " + AllowedSigners.FILE + " in " + workspace + ": nothing to record (without it certops runs as a single operator)"));
        TeamFiles files = filesQuietly().orElseThrow();
        Optional<InForce> recorded = inForce();
        if (recorded.isPresent() && recorded.get().signers().sha256().equals(files.signers().sha256())
                && recorded.get().policy().text().equals(files.policy().text())) {
            return Optional.empty();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allowedSigners", files.signers().text());
        d.put("allowedSignersSha256", files.signers().sha256());
        d.put("policy", files.policy().text());
        d.put("twoPerson", files.policy().gates());
        d.put("signers", files.signers().signers().size());
        d.put("recordedBy", me.principal());
        return Optional.of(history().append(new NewEvent(RECORDED, AllowedSigners.FILE, "ok", d)));
    }

    /** The two-person requests and decisions of this history. */
    public synchronized Approvals approvals() {
        if (approvals == null) approvals = new Approvals(this, clock);
        return approvals;
    }

    /**
     * The check every lease passes (issue, deploy, rollback, revoke, renew, and breaking one): the
     * role, then the two-person rule for revoke, production deploys and lease breaks.
     */
    public void checkLease(String operation, String subject, String why) {
        Operation op = Operation.ofLease(operation).orElse(Operation.RUNBOOK);
        if (require(op).isEmpty()) return;
        String gate = switch (op) {
            case REVOKE -> "revoke";
            case DEPLOY -> productionDeploy.test(subject) ? "deploy-production" : null;
            case LEASE_BREAK -> "lease-break";
            default -> null;
        };
        if (gate == null || !policy().twoPerson(gate)) return;
        approvals().useOrRequest(gate, operation, subject, why);
    }

    /** The policy in force (recorded), else the file's, else the default. */
    public TeamPolicy policy() {
        try {
            return inForce().map(InForce::policy).orElseGet(() -> filesQuietly().map(TeamFiles::policy).orElse(TeamPolicy.DEFAULT));
        } catch (HistoryException e) {
            return filesQuietly().map(TeamFiles::policy).orElse(TeamPolicy.DEFAULT);
        }
    }

    synchronized JdbcHistoryStore history() {
        if (history == null) throw new IllegalStateException("the team's access is used before the history is open");
        return history;
    }
}
