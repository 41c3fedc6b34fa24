package dev.certops.renew;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.CertificateConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link RenewalInput} per configured certificate from facts already read (by
 * {@code KnownCertificates}): the newest stored version (issued here), the certificates found live,
 * the revoked serials from history and the hosts that diverge from the current release.
 */
public final class RenewalInputs {
    private static final ObjectMapper JSON = Json.mapper();

    private RenewalInputs() { }

    /** The input from facts already read: the newest stored leaf, live copies, the certificate's revoked serials (normalized). */
    public static RenewalInput of(CertificateConfig cert, Optional<CertificateInfo> stored, List<CertificateInfo> live, Set<String> revoked,
                                  List<String> divergedHosts, Optional<AriWindow> ari) {
        List<CertificateInfo> known = new ArrayList<>(live);
        stored.ifPresent(known::add);
        boolean isRevoked = known.stream().max(Comparator.comparing(CertificateInfo::notBefore)
                        .thenComparing(CertificateInfo::notAfter))
                .map(c -> revoked.contains(normal(c.serial()))).orElse(false);
        return new RenewalInput(cert, known, isRevoked, ari, divergedHosts);
    }

    /** Every revoked serial (normalized) per certificate id, in one pass over history. */
    public static Map<String, Set<String>> revokedSerials(HistoryStore history) throws HistoryException {
        Map<String, Set<String>> out = new HashMap<>();
        for (var e : history.query(EventQuery.all().kind(EventKinds.ACME_REVOKED))) {
            serialOf(e.details()).ifPresent(s -> out.computeIfAbsent(e.subject(), k -> new HashSet<>()).add(s));
        }
        return out;
    }

    private static Optional<String> serialOf(String details) {
        try {
            JsonNode serial = JSON.readTree(details).get("serial");
            return serial == null ? Optional.empty() : Optional.of(normal(serial.asText()));
        } catch (IOException ignored) {
            return Optional.empty(); // a details blob that is not JSON carries no serial
        }
    }

    static String normal(String serial) {
        return serial.replace(":", "").toLowerCase(Locale.ROOT).replaceFirst("^0+", "");
    }
}
