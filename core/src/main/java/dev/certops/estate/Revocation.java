package dev.certops.estate;

import dev.certops.crypto.ChainReport;
import dev.certops.estate.Finding.Kind;
import dev.certops.history.EventKinds;
import dev.certops.history.EventQuery;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.json.Json;
import dev.certops.scan.CrlCache;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Is a served serial revoked? Two sources: certops' own history (it revoked the serial: {@code
 * acme.certificate.revoked}) and the CA's CRL ({@link CrlCache}). A CRL that cannot be checked is a
 * warning, never a silent pass. Sentences complete "ENDPOINT …".
 */
final class Revocation {
    private static final Set<String> SERIAL_AND_REASON = Set.of("serial", "reason");

    private Revocation() { }

    /** The CRL verdict on a chain's leaf (its issuer from the served chain). */
    static Optional<Finding> byCrl(CrlCache crls, ChainReport report) {
        Optional<X509Certificate> issuer = report.ordered().size() > 1 ? Optional.of(report.ordered().get(1)) : Optional.empty();
        CrlCache.Answer a = crls.check(report.leaf(), issuer);
        if (a instanceof CrlCache.Answer.Revoked r) {
            return Optional.of(Finding.of(Kind.REVOKED, "serves serial " + report.leaf().getSerialNumber().toString(16) + ", which its CA's CRL (" + r.url()
                    + ") lists as revoked: clients refuse it — issue a new certificate now (`certops renew --force`) and deploy it"));
        }
        if (a instanceof CrlCache.Answer.Unknown u) {
            return Optional.of(Finding.of(Kind.REVOCATION_UNKNOWN, "serves a certificate whose revocation could not be checked: the CRL at " + u.url() + " "
                    + u.why() + " — check that the CA's CRL is reachable from here; until then a revoked certificate would go unnoticed"));
        }
        return Optional.empty();
    }

    /** Serial (lower-case hex, no leading zeros) → "revoked by certops at TIME (reason)", from history. */
    static Map<String, String> byHistory(HistoryStore history) throws HistoryException {
        Map<String, String> out = new HashMap<>();
        history.forEach(EventQuery.all().kind(EventKinds.ACME_REVOKED), e -> {
            try {
                Map<String, String> d = Json.fields(e.details(), SERIAL_AND_REASON);
                if (!d.containsKey("serial")) return;
                String serial = d.get("serial").replace(":", "").toLowerCase(Locale.ROOT).replaceFirst("^0+", "");
                out.put(serial, "certops revoked it on " + e.time().toString().substring(0, 16).replace('T', ' ') + " UTC"
                        + (d.containsKey("reason") ? " (" + d.get("reason") + ")" : ""));
            } catch (Exception ignored) {
                // details that are not JSON carry no serial; `certops audit verify` reports such events
            }
        });
        return out;
    }
}
