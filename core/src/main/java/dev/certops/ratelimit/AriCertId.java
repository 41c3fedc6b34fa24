package dev.certops.ratelimit;

import java.math.BigInteger;
import java.util.Base64;
import java.util.Locale;

/** Serial numbers as the ledger keys them: lower-case hex without leading zeros, from hex text or an ARI certificate id. */
final class AriCertId {
    private AriCertId() { }

    /** The serial of an ARI cert id {@code base64url(AKI).base64url(serial)}; a value that is not one is taken as a serial itself. */
    static String serialOf(String replaces) {
        int dot = replaces.indexOf('.');
        if (dot > 0) {
            try {
                byte[] serial = Base64.getUrlDecoder().decode(replaces.substring(dot + 1));
                return new BigInteger(1, serial).toString(16);
            } catch (IllegalArgumentException e) {
                return normalizeSerial(replaces);
            }
        }
        return normalizeSerial(replaces);
    }

    static String normalizeSerial(String serial) {
        String hex = serial.replace(":", "").trim().toLowerCase(Locale.ROOT);
        try {
            return new BigInteger(hex, 16).toString(16);
        } catch (NumberFormatException e) {
            return hex;
        }
    }
}
