package dev.certops.deploy;

import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds, from the write-ahead record, releases that were swapped live and never settled (the process
 * was killed between the swap and its verification), and settles each before anything else runs on
 * the certificate: when the unverified release is live and served it is recorded as verified; when it
 * is live and not served, the release live before it is put back; when it is not live, nothing changes.
 * Each is closed with a {@code deploy.recovered} event.
 */
final class UnfinishedDeploys {
    /** The details fields the record's deploy events are read for (read by Jackson's streaming parser, no mapper). */
    private static final Set<String> FIELDS = Set.of("host", "release", "from", "step", "previous");
    /** A swap whose host never reported an end. */
    record Unfinished(String host, String release, Optional<String> previous, long intentSeq) { }

    /**
     * How long a recovered release is given to be served: its reload either happened before the kill
     * (then a few hundred ms settle it) or never did; not being served then means rolling back to the
     * release verified before, which is always safe.
     */
    static final Duration RECOVERY_VERIFY = Duration.ofSeconds(5);

    private UnfinishedDeploys() { }

    static List<Unfinished> find(HistoryStore history, String certificateId) throws HistoryException {
        return open(history.query(EventQuery.all().subject(certificateId).kind("deploy."))).getOrDefault(certificateId, List.of());
    }

    /** Every certificate with an unfinished swap, from one pass over the deploy events (a renew run checks all at its start). */
    static Map<String, List<Unfinished>> findAll(HistoryStore history) throws HistoryException {
        return open(history.query(EventQuery.all().kind("deploy.")));
    }

    private static Map<String, List<Unfinished>> open(List<HistoryEvent> events) {
        Map<String, Map<String, Unfinished>> open = new LinkedHashMap<>();
        for (HistoryEvent e : events) {
            if (!e.kind().startsWith("deploy.")) continue;
            Map<String, String> d = details(e);
            String host = d.getOrDefault("host", "");
            String release = d.getOrDefault("release", d.getOrDefault("from", ""));
            String key = host + "\n" + release;
            Map<String, Unfinished> forCert = open.computeIfAbsent(e.subject(), k -> new LinkedHashMap<>());
            switch (e.kind()) {
                case EventKinds.DEPLOY_INTENT -> {
                    if ("swap".equals(d.get("step"))) {
                        String prev = d.getOrDefault("previous", "");
                        forCert.put(key, new Unfinished(host, release, prev.isEmpty() ? Optional.empty() : Optional.of(prev), e.seq()));
                    }
                }
                case EventKinds.DEPLOY_HOST_FINISHED, EventKinds.DEPLOY_RECOVERED, EventKinds.DEPLOY_INTERRUPTED -> forCert.remove(key);
                case EventKinds.DEPLOY_ROLLBACK -> {
                    if ("ok".equals(e.outcome())) forCert.remove(host + "\n" + d.getOrDefault("from", ""));
                }
                default -> { }
            }
        }
        Map<String, List<Unfinished>> out = new LinkedHashMap<>();
        open.forEach((id, m) -> { if (!m.isEmpty()) out.put(id, new ArrayList<>(m.values())); });
        return out;
    }

    /** The event's top-level scalar details named in {@link #FIELDS}; none when they are not JSON (never written so). */
    private static Map<String, String> details(HistoryEvent e) {
        try {
            return Json.fields(e.details(), FIELDS);
        } catch (IOException ex) {
            return Map.of();
        }
    }

    /** Settles one unfinished release on its host; the returned outcome is recorded as deploy.recovered. */
    static Deployer.Recovery settle(Unfinished u, HostDeployment.Target target, DeployContext ctx, DeployJournal journal) {
        String h = u.host();
        journal.state(h, HostState.VERIFYING, "an earlier deploy of " + u.release() + " ended without verifying (the process was stopped); checking it first");
        String action;
        String detail;
        HostOutcome outcome;
        try (HostChannel ch = ctx.open(target.host())) {
            ReleaseOps ops = new ReleaseOps(ch, target.paths(), ctx.settings().commandTimeout());
            Optional<String> live = ops.liveRelease();
            if (live.isEmpty() || !live.get().equals(u.release())) {
                action = "none";
                detail = "the unverified release " + u.release() + " is not live (live = " + live.orElse("(none)") + ")";
                outcome = new HostOutcome.Verified(h, live.orElse(""), Optional.empty(), 0);
            } else {
                Optional<X509Certificate> leaf = ops.leaf(u.release());
                Optional<String> problem = leaf.isEmpty() ? Optional.of("its certificate cannot be read")
                        : ctx.verifyWithin(ch, target.endpoints(), DeployBundle.sha256Hex(leaf.get()), RECOVERY_VERIFY);
                if (problem.isEmpty()) {
                    action = "verified";
                    detail = u.release() + " is live and served";
                    outcome = new HostOutcome.Verified(h, u.release(), u.previous(), target.endpoints().size());
                } else {
                    journal.intent(h, "rollback", u.release(), "recovery: live -> " + u.previous().orElse("(none)"));
                    ServiceGate gate = ctx.gate(target.host());
                    gate.swapping(() -> {
                        if (u.previous().isPresent()) ops.pointLiveAt(u.previous().get());
                        else ops.removeLive();
                        return null;
                    });
                    ExecResult r = gate.reload(ch, target.host().reloadCommand(), ctx.settings().commandTimeout());
                    action = "rolled-back";
                    detail = u.release() + " was live but not served (" + problem.get() + "); put " + u.previous().orElse("(no release)")
                            + " back" + (r.ok() ? "" : ", but the reload failed: " + r.output());
                    outcome = new HostOutcome.RolledBack(h, u.release(), u.previous(), "recovery", problem.get(), r.ok(), detail,
                            leaf.map(ReleaseOps::serial), Optional.empty());
                }
            }
        } catch (DeployException | HistoryException e) {
            journal.state(h, HostState.FAILED, "could not settle the unverified release " + u.release() + ": " + e.getMessage());
            return new Deployer.Recovery(h, u.release(), "failed", "the earlier deploy of " + u.release()
                    + " was interrupted and cannot be checked: " + e.getMessage());
        }
        journal.record(new NewEvent(EventKinds.DEPLOY_RECOVERED, journal.certificateId(), outcome instanceof HostOutcome.Failed ? "failed" : "ok",
                Map.of("host", h, "release", u.release(), "action", action, "detail", detail, "intentSeq", u.intentSeq())));
        journal.state(h, outcome.ok() ? HostState.VERIFIED : HostState.ROLLED_BACK, detail);
        return new Deployer.Recovery(h, u.release(), action, detail);
    }
}
