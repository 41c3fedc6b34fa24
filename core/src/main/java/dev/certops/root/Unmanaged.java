package dev.certops.root;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Workspace;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryEvent;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Certificates this workspace knows (stored versions under certs/, issuances in history) that
 * certops.yaml no longer lists: nothing renews or watches them any more, so `config check` warns and
 * `renew` and `status` exit 1 naming them — an empty or comment-only certops.yaml included. A certificate
 * retired on purpose ({@link Retirement}) is not reported, until a newer version appears for its id.
 */
public final class Unmanaged {
    private Unmanaged() { }

    public static Set<String> ids(CertopsConfig cfg, Workspace ws, HistoryStore history) throws IOException, HistoryException {
        Set<String> listed = cfg.certificates().stream().map(CertificateConfig::id).collect(Collectors.toSet());
        Set<String> out = new TreeSet<>(fromCerts(ws));
        if (history != null) {
            Map<String, Long> issued = new HashMap<>();
            for (HistoryEvent e : history.query(EventQuery.all().kind(EventKinds.ACME_CERT_ISSUED))) {
                out.add(e.subject());
                issued.put(e.subject(), e.seq());
            }
            // a retirement closes an id's history until a version is issued or stored after it
            for (Retirement.Retired r : Retirement.recorded(history).values()) {
                if (issued.getOrDefault(r.id(), 0L) < r.seq() && Retirement.highestVersion(ws.certsDir().resolve(r.id())) <= r.versions()) {
                    out.remove(r.id());
                }
            }
        }
        out.removeAll(listed);
        out.removeIf(String::isBlank);
        return out;
    }

    static Set<String> fromCerts(Workspace ws) throws IOException {
        Path certs = ws.certsDir();
        if (!Files.isDirectory(certs)) return Set.of();
        try (Stream<Path> s = Files.list(certs)) {
            return s.filter(Files::isDirectory).filter(p -> !retiredOnDisk(p)).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A folder whose retired.json closes every version stored in it (`certops estate retire`). */
    private static boolean retiredOnDisk(Path folder) {
        try {
            Optional<Integer> closed = Retirement.marked(folder);
            return closed.isPresent() && Retirement.highestVersion(folder) <= closed.get();
        } catch (IOException e) {
            return false;
        }
    }

    /** The warning, naming the ids and what to do. */
    public static String warning(Set<String> ids) {
        return "certops.yaml does not list " + ids.size() + " certificate(s) this workspace holds versions or history of: "
                + String.join(", ", ids) + " — nothing renews or watches them. Add them back under certificates: in certops.yaml, "
                + "or retire them with `certops estate retire ID --reason \"...\"` (their history is closed, their versions kept)";
    }
}
