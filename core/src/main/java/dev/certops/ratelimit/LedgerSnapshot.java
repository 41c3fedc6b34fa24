package dev.certops.ratelimit;

import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit ledger kept between commands ({@code state/ratelimit-ledger.json}): its indexes as of one history
 * event, so that a command reads only the events recorded after it instead of every order, authorization and
 * issuance ever recorded. Without it every issuing command replayed all of them: ~800 events cost an issuance
 * 0.15 s, 10,000 cost 0.5 s, and a year of a 1,000-certificate estate is some 25,000.
 *
 * <p>Only a cache, and used only when it is certainly this history's: the event it stops at must still be there
 * with the same chain hash (which vouches for every event before it: another database, a restored backup or a
 * rewritten file does not match), and the limits must be the ones in force (they decide every bucket's value).
 * Otherwise, or when the file is missing, unreadable or of another format, the ledger is rebuilt from history as
 * before and the file rewritten. It holds what history already holds (accounts, names, serials, the CA's
 * rate-limit answers); no secret.
 */
public final class LedgerSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSnapshot.class);
    static final int FORMAT = 1;
    /** Written once this many relevant events were counted beyond what the file holds: a few more are cheap to read again. */
    static final int WRITE_AFTER = 64;

    private final Path file;
    /** The count of relevant events in the file as this object last read or wrote it (-1: none). */
    private long inFile = -1;

    public LedgerSnapshot(Path file) {
        this.file = file;
    }

    /** The file in a workspace's state folder. */
    public static LedgerSnapshot in(Path stateDir) {
        return new LedgerSnapshot(stateDir.resolve("ratelimit-ledger.json"));
    }

    /**
     * A ledger under these limits: the one the file holds when it was taken from this history under the same limits
     * (the caller then catches it up), else an empty one. Never fails for the file's sake: a file that cannot be used
     * is said at debug level and ignored.
     */
    public UsageLedger open(LimitTable limits, HistoryStore store) throws HistoryException {
        try (StartupTrace.Phase p = StartupTrace.phase("rate-limit ledger: snapshot read")) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return new UsageLedger(limits);
            } catch (IOException e) {
                LOG.debug("the rate-limit ledger {} cannot be read ({}); counting from history", file, e.getMessage());
                return new UsageLedger(limits);
            }
            UsageLedger restored;
            try {
                Map<?, ?> m = Json.Plain.map(Json.readPlain(text));
                if (Json.Plain.number(m.get("format")) != FORMAT) {
                    LOG.debug("the rate-limit ledger {} is of another format; counting from history", file);
                    return new UsageLedger(limits);
                }
                if (!limits.canonical().equals(Json.Plain.text(m.get("limits")))) {
                    LOG.debug("the rate-limit ledger {} was counted under other limits; counting from history", file);
                    return new UsageLedger(limits);
                }
                restored = UsageLedger.fromPlain(limits, Json.Plain.map(m.get("ledger")));
            } catch (IOException | IllegalArgumentException e) {
                LOG.debug("the rate-limit ledger {} is not readable ({}); counting from history", file, e.getMessage());
                return new UsageLedger(limits);
            }
            if (!sameHistory(restored, store)) {
                LOG.debug("the rate-limit ledger {} was taken from another history; counting from history", file);
                return new UsageLedger(limits);
            }
            inFile = restored.counted();
            return restored;
        }
    }

    /** Whether the event the ledger stops at is in this history with the same chain hash. */
    private static boolean sameHistory(UsageLedger ledger, HistoryStore store) throws HistoryException {
        long seq = ledger.lastSeq();
        String hash = ledger.lastHash();
        if (seq <= 0 || hash.isEmpty()) return false;
        List<HistoryEvent> at = store.query(EventQuery.all().afterSeq(seq - 1).limit(1));
        return !at.isEmpty() && at.get(0).seq() == seq && hash.equals(at.get(0).hash());
    }

    /**
     * Writes the ledger when it has counted at least {@link #WRITE_AFTER} events beyond the file, atomically (a
     * reader sees the old file or the new one). A workspace that cannot be written still works, only slower.
     */
    public void keep(UsageLedger ledger) {
        keep(ledger, WRITE_AFTER);
    }

    /**
     * Writes the ledger when it has counted at least {@code atLeast} events beyond the file (at the end of a command: any,
     * so the next command starts where this one ended).
     */
    public void keep(UsageLedger ledger, int atLeast) {
        if (ledger.counted() - Math.max(0, inFile) < Math.max(1, atLeast)) return;
        try (StartupTrace.Phase p = StartupTrace.phase("rate-limit ledger: snapshot written")) {
            Map<String, Object> state = ledger.toPlain();
            if (((String) state.get("lastHash")).isEmpty()) return;   // nothing a later command could check it by
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("limits", ledger.limits().canonical());
            m.put("ledger", state);
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir)) return;
            Path tmp = Files.createTempFile(dir, "ratelimit-ledger", ".tmp");
            try {
                Files.writeString(tmp, Json.plain(m), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                inFile = (Long) state.get("counted");
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.debug("the rate-limit ledger {} cannot be written: {}", file, e.getMessage());
        }
    }
}
