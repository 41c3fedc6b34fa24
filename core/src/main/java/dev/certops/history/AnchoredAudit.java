package dev.certops.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code audit verify} checks beyond the chain itself: the chain against the anchors kept
 * outside the database ({@link Anchors}). Each finding names what is missing or does not match.
 */
public final class AnchoredAudit {
    private AnchoredAudit() { }

    /** When history.db itself is gone: what the anchors say it held. */
    public static String missingDatabase(Path db, Anchors anchors) {
        long seq = 0;
        try {
            seq = Math.max(anchors.head().map(Anchors.Head::seq).orElse(0L),
                    anchors.checkpoints().stream().mapToLong(Anchors.Checkpoint::seq).max().orElse(0L));
        } catch (IOException e) {
            // the anchors themselves are damaged: the file is still missing
        }
        return db + " is missing (deleted or moved): its anchors in " + anchors.headFile().getParent() + " say it held "
                + seq + " event(s). Restore it from a backup; certops will not start an empty history in its place";
    }

    /** Findings from comparing {@code store}'s chain with the anchors; empty when every anchor holds. */
    public static List<String> check(HistoryStore store, Anchors anchors) throws HistoryException {
        List<String> out = new ArrayList<>();
        long dbHead = store.head().map(HistoryEvent::seq).orElse(0L);
        Optional<Anchors.Head> head;
        List<Anchors.Checkpoint> checkpoints;
        try {
            head = anchors.head();
        } catch (IOException e) {
            out.add("the head anchor " + anchors.headFile() + " cannot be read: " + e.getMessage());
            head = Optional.empty();
        }
        try {
            checkpoints = anchors.checkpoints();
        } catch (IOException e) {
            out.add("the checkpoints " + anchors.checkpointsFile() + " cannot be read: " + e.getMessage());
            checkpoints = List.of();
        }
        if (head.isEmpty() && dbHead > 0 && out.isEmpty() && (anchors.requiredOnceWritten() || !checkpoints.isEmpty())) {
            out.add("the head anchor " + anchors.headFile() + " is missing (deleted?)");
        }
        head.ifPresent(h -> compare(store, h.seq(), h.hash(), "the head anchor " + anchors.headFile(), dbHead, out));
        if (!checkpoints.isEmpty()) {
            Optional<PublicKey> key;
            try {
                key = anchors.publicKey();
            } catch (IOException e) {
                out.add(e.getMessage());
                key = Optional.empty();
            }
            if (key.isEmpty()) {
                out.add("the checkpoint key " + anchors.publicKeyFile() + " is missing: the " + checkpoints.size() + " checkpoint(s) cannot be checked");
            } else {
                for (Anchors.Checkpoint c : checkpoints) {
                    if (!Anchors.signatureHolds(c, key.get())) {
                        out.add("the checkpoint at event " + c.seq() + " is not signed by the workspace's checkpoint key (forged or altered)");
                    } else {
                        compare(store, c.seq(), c.hash(), "the signed checkpoint at event " + c.seq(), dbHead, out);
                    }
                }
            }
        } else if (dbHead > 0 && Files.exists(anchors.publicKeyFile()) && (anchors.requiredOnceWritten() || head.isPresent())) {
            out.add("the checkpoints " + anchors.checkpointsFile() + " are missing (deleted?) although a checkpoint key exists");
        }
        for (Path versionJson : versionAnchors(anchors)) {
            try {
                JsonNode a = JSON.readTree(Files.readString(versionJson)).path("historyAnchor");
                if (a.isMissingNode()) continue;
                compare(store, a.path("seq").asLong(), a.path("hash").asText(), "the anchor in " + versionJson, dbHead, out);
            } catch (IOException e) {
                out.add(versionJson + " cannot be read: " + e.getMessage());
            }
        }
        return out.stream().distinct().toList();
    }

    private static final ObjectMapper JSON = Json.mapper();

    /** certs/ID/N/version.json beside the state folder (each issued version records the event of its issuance). */
    private static List<Path> versionAnchors(Anchors anchors) {
        Path certs = anchors.headFile().getParent().resolveSibling("certs");
        if (!Files.isDirectory(certs)) return List.of();
        try (Stream<Path> s = Files.walk(certs, 3)) {
            return s.filter(p -> p.getFileName().toString().equals("version.json")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void compare(HistoryStore store, long seq, String hash, String anchor, long dbHead, List<String> out) {
        if (seq > dbHead) {
            out.add("events " + (dbHead + 1) + " to " + seq + " are missing: " + anchor + " says the chain reached event " + seq
                    + " but the history ends at " + dbHead + " (truncated)");
            return;
        }
        if (seq == 0) return;
        try {
            List<HistoryEvent> at = store.query(EventQuery.all().afterSeq(seq - 1).limit(1));
            if (at.isEmpty() || at.get(0).seq() != seq) {
                out.add("event " + seq + " named by " + anchor + " is missing");
            } else if (!at.get(0).hash().equals(hash)) {
                out.add("event " + seq + " does not have the hash " + anchor + " recorded: the chain was rewritten (recomputed) after it");
            }
        } catch (HistoryException e) {
            out.add("event " + seq + " cannot be read to compare with " + anchor + ": " + e.getMessage());
        }
    }
}
