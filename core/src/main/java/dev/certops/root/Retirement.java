package dev.certops.root;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.json.Json;
import dev.certops.words.Words;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Retiring a certificate certops no longer manages (`certops estate retire ID --reason ...`): a
 * {@code certificate.retired} event closes its history, and {@code certs/ID/retired.json} says so
 * beside its stored versions (which stay, for audit). From then on {@link Unmanaged} does not report
 * it — until a version newer than the retirement is stored or issued for that id again.
 */
public final class Retirement {
    /** The marker beside the stored versions of a retired certificate. */
    public static final String MARKER = "retired.json";
    private static final ObjectMapper JSON = Json.indented();

    private Retirement() { }

    /** What a retirement recorded: the event's seq and the highest stored version it closed. */
    public record Retired(String id, long seq, int versions) { }

    /** Why a certificate cannot be retired; the message says what to do. Nothing was recorded. */
    public static final class Refused extends Exception {
        public Refused(String message) { super(message); }
    }

    /**
     * Records the retirement of {@code id} and writes its marker. Refused when certops.yaml still lists it,
     * when the workspace knows nothing of it, or when it is already retired and nothing new was stored since.
     */
    public static Retired retire(CertopsConfig cfg, Workspace ws, HistoryStore history, String id, String reason)
            throws Refused, HistoryException, IOException {
        if (reason == null || reason.isBlank()) {
            throw new Refused("give --reason \"...\": why " + id + " is retired is recorded in the history");
        }
        if (cfg.certificate(id).isPresent()) {
            throw new Refused(id + " is still listed under certificates: in " + cfg.file() + " — remove it there first. "
                    + "Retiring closes the history of a certificate certops no longer manages; nothing was recorded");
        }
        if (!Unmanaged.ids(cfg, ws, history).contains(id)) {
            Optional<HistoryEvent> before = latest(history, id);
            if (before.isPresent()) {
                throw new Refused(id + " was already retired on " + Words.instant(before.get().time()) + " (event " + before.get().seq()
                        + "); nothing was recorded");
            }
            throw new Refused("this workspace knows no unmanaged certificate " + id + ": no stored versions under "
                    + ws.certsDir().resolve(id) + " and no issuance in the history. `certops status` names the unmanaged ones");
        }
        int versions = highestVersion(ws.certsDir().resolve(id));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", reason.strip());
        d.put("versions", versions);
        HistoryEvent e = history.append(new NewEvent(EventKinds.CERTIFICATE_RETIRED, id, "ok", d));
        Path folder = ws.certsDir().resolve(id);
        if (Files.isDirectory(folder)) {
            Map<String, Object> marker = new LinkedHashMap<>(d);
            marker.put("seq", e.seq());
            marker.put("hash", e.hash());
            marker.put("retiredAt", e.time().toString());
            Files.writeString(folder.resolve(MARKER), JSON.writeValueAsString(marker) + "\n");
        }
        return new Retired(id, e.seq(), versions);
    }

    private static Optional<HistoryEvent> latest(HistoryStore history, String id) throws HistoryException {
        var all = history.query(EventQuery.all().kind(EventKinds.CERTIFICATE_RETIRED).subject(id));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** For each retired id, its latest retirement: seq and the highest stored version it closed. */
    static Map<String, Retired> recorded(HistoryStore history) throws HistoryException {
        Map<String, Retired> out = new HashMap<>();
        for (HistoryEvent e : history.query(EventQuery.all().kind(EventKinds.CERTIFICATE_RETIRED))) {
            out.put(e.subject(), new Retired(e.subject(), e.seq(), versionsOf(e.details())));
        }
        return out;
    }

    /** The highest version the marker in {@code folder} closed; empty when there is no readable marker. */
    static Optional<Integer> marked(Path folder) {
        Path m = folder.resolve(MARKER);
        if (!Files.isRegularFile(m)) return Optional.empty();
        try {
            JsonNode n = JSON.readTree(Files.readString(m));
            return n.has("versions") ? Optional.of(n.path("versions").asInt()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The highest numbered version folder under certs/ID (0 when none). */
    static int highestVersion(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return 0;
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }

    private static int versionsOf(String details) {
        try {
            return JSON.readTree(details).path("versions").asInt(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
