package dev.certops.imports;

import dev.certops.acme.CertificateVersions;
import dev.certops.crypto.CertificateInfo;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.ratelimit.IssuanceImport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores imported versions as certops versions ({@code certs/ID/N/}, the key in the secret store:
 * mode 0600, encrypted when a passphrase is set), oldest first, each issued-at its certificate's
 * notBefore, and records them: {@code import.version} per version and the issuance itself
 * ({@code ratelimit.issuance.imported}) so the budget counts it. A version whose serial is already
 * stored for the certificate is skipped: importing twice changes nothing.
 */
public final class VersionImport {
    /** What was stored and what was already there. */
    public record Outcome(List<CertificateVersions.Version> stored, List<String> skippedSerials) { }

    private final CertificateVersions versions;
    private final HistoryStore history;

    public VersionImport(CertificateVersions versions, HistoryStore history) {
        this.versions = versions;
        this.history = history;
    }

    /** @param ca the configured CA id it was issued by, or a label ("certbot", "commercial") when no configured CA matches */
    public Outcome store(String certificateId, List<ImportedVersion> imported, String ca, String source) throws IOException, HistoryException {
        Set<String> have = new HashSet<>();
        for (CertificateVersions.Version v : versions.list(certificateId)) have.add(v.serial());
        List<ImportedVersion> sorted = new ArrayList<>(imported);
        sorted.sort(Comparator.comparing(v -> v.leaf().getNotBefore()));
        List<CertificateVersions.Version> stored = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (ImportedVersion v : sorted) {
            CertificateInfo info = CertificateInfo.from(v.leaf());
            if (!have.add(info.serial())) {
                skipped.add(info.serial());
                continue;
            }
            CertificateVersions.Version s = versions.store(certificateId, v.chain(), v.key(), ca, false, info.notBefore());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("source", source);
            d.put("version", s.number());
            d.put("serial", info.serial());
            d.put("notAfter", info.notAfter().toString());
            d.put("issuedAt", info.notBefore().toString());
            d.put("from", v.from());
            history.appendAll(List.of(new NewEvent(EventKinds.IMPORT_VERSION, certificateId, "ok", d),
                    IssuanceImport.fromCertificate(v.leaf(), ca, source + " import of " + certificateId)));
            stored.add(s);
        }
        return new Outcome(List.copyOf(stored), List.copyOf(skipped));
    }
}
