package dev.certops.crypto;

import java.net.IDN;
import java.util.List;
import java.util.Locale;

/**
 * Does a certificate's name cover a host name? RFC 6125: a wildcard only as the whole left-most
 * label, matching exactly one label; case-insensitive; IDNs compared in their ASCII (punycode) form.
 */
public final class NameMatch {
    private NameMatch() { }

    public static boolean covers(List<String> certNames, String hostname) {
        for (String n : certNames) if (covers(n, hostname)) return true;
        return false;
    }

    public static boolean covers(String certName, String hostname) {
        String pattern = ascii(certName);
        String host = ascii(hostname);
        if (pattern.isEmpty() || host.isEmpty()) return false;
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            if (!host.endsWith(suffix)) return false;
            String first = host.substring(0, host.length() - suffix.length());
            return !first.isEmpty() && !first.contains(".");
        }
        return pattern.equals(host);
    }

    static String ascii(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        try {
            return IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return n.toLowerCase(Locale.ROOT);
        }
    }
}
