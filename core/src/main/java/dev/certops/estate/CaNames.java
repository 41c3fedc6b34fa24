package dev.certops.estate;

import dev.certops.crypto.CertificateInfo;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which CA a certificate came from: the configured CA that issued this serial (from history), else
 * a well-known issuer organisation, else the issuer's CN.
 */
final class CaNames {
    /** Issuer organisation (lower-case, contains) → a name operators recognise. */
    private static final Map<String, String> KNOWN = Map.of(
            "let's encrypt", "letsencrypt", "zerossl", "zerossl", "sectigo", "sectigo", "google trust services", "google",
            "buypass", "buypass", "pebble", "pebble", "digicert", "digicert", "amazon", "amazon");

    private final Map<String, String> caBySerial;

    CaNames(Map<String, String> caBySerial) { this.caBySerial = Map.copyOf(caBySerial); }

    String of(CertificateInfo info) {
        String known = caBySerial.get(info.serial());
        if (known != null) return known;
        String org = (info.issuerOrg() + " " + info.issuerCn()).toLowerCase(Locale.ROOT);
        Optional<String> match = KNOWN.entrySet().stream().filter(e -> org.contains(e.getKey())).map(Map.Entry::getValue).findFirst();
        return match.orElse(info.issuerCn().isEmpty() ? info.issuerDn() : info.issuerCn());
    }
}
