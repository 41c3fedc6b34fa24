package dev.certops.renew;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.acme.CertificateVersions;
import dev.certops.config.CertificateConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers a {@link RenewalInput} per configured certificate: the newest stored version (issued
 * here), the certificates found live (from an estate scan, passed in), the revoked serials from
 * history and the hosts that diverge from the current release.
 */
public final class RenewalInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RenewalInputs() { }

    public static RenewalInput gather(CertificateConfig cert, CertificateVersions versions, HistoryStore history,
                                      List<CertificateInfo> live, List<String> divergedHosts, Optional<AriWindow> ari)
            throws IOException, HistoryException, CryptoException {
        List<CertificateInfo> known = new ArrayList<>(live);
        Optional<CertificateVersions.Version> latest = versions.latest(cert.id());
        if (latest.isPresent()) {
            known.add(CertificateInfo.from(PemReader.readCertificates(latest.get().dir().resolve("cert.pem")).get(0)));
        }
        Set<String> revoked = revokedSerials(history, cert.id());
        boolean isRevoked = known.stream().max(java.util.Comparator.comparing(CertificateInfo::notBefore)
                        .thenComparing(CertificateInfo::notAfter))
                .map(c -> revoked.contains(normal(c.serial()))).orElse(false);
        return new RenewalInput(cert, known, isRevoked, ari, divergedHosts);
    }

    static Set<String> revokedSerials(HistoryStore history, String certificateId) throws HistoryException {
        Set<String> out = new HashSet<>();
        for (var e : history.query(EventQuery.all().kind(EventKinds.ACME_REVOKED).subject(certificateId))) {
            try {
                JsonNode serial = JSON.readTree(e.details()).get("serial");
                if (serial != null) out.add(normal(serial.asText()));
            } catch (IOException ignored) {
                // a details blob that is not JSON carries no serial
            }
        }
        return out;
    }

    private static String normal(String serial) {
        return serial.replace(":", "").toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+", "");
    }

    /** Convenience for callers holding live certificates per certificate id. */
    public static List<CertificateInfo> liveFor(Map<String, List<CertificateInfo>> live, String id) {
        return live.getOrDefault(id, List.of());
    }
}
