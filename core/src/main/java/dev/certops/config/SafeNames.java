package dev.certops.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a configured id, host name or path may contain. Values that pass these checks are safe to
 * use as file names and as remote paths; remote commands still quote every argument.
 * Each check returns the problem in words, or empty when the value is fine.
 */
public final class SafeNames {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9a-fA-F:]+");
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9_.@+=,-]+");

    private SafeNames() { }

    public static final String ID_RULE = "letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters";

    public static Optional<String> idProblem(String id) {
        if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
            return Optional.of("'" + printable(id) + "' is not a valid id — allowed: " + ID_RULE);
        }
        return Optional.empty();
    }

    /** A DNS name (optionally a wildcard "*.example.com" when {@code wildcardAllowed}), or an IPv4 literal. */
    public static Optional<String> dnsNameProblem(String name, boolean wildcardAllowed) {
        if (name == null || name.isEmpty() || name.length() > 253) return Optional.of("'" + printable(name) + "' is not a DNS name");
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String[] labels = n.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            if (i == 0 && labels[i].equals("*")) {
                if (!wildcardAllowed) return Optional.of("'" + name + "': a wildcard name needs DNS-01 (challenge: { type: dns-01, dns: ID })");
                if (labels.length < 3) return Optional.of("'" + name + "': a wildcard needs at least two labels after '*.'");
                continue;
            }
            if (!label(labels[i])) {
                return Optional.of("'" + printable(name) + "' is not a DNS name — labels are letters, digits and '-' (IDN names in punycode, xn--...)");
            }
        }
        return Optional.empty();
    }

    /** 1 to 63 letters, digits and '-', neither first nor last a '-' (checked for every name of a large certops.yaml: no regex). */
    private static boolean label(String l) {
        int n = l.length();
        if (n < 1 || n > 63 || l.charAt(0) == '-' || l.charAt(n - 1) == '-') return false;
        for (int i = 0; i < n; i++) {
            char c = l.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }

    /** A host address: a DNS name, an IPv4 or bracket-less IPv6 literal, or "local". */
    public static Optional<String> addressProblem(String address) {
        if (HostConfig.LOCAL.equals(address)) return Optional.empty();
        if (address != null && address.contains(":") && IPV6_LITERAL.matcher(address).matches()) return Optional.empty();
        return dnsNameProblem(address, false).map(p -> p.replace("is not a DNS name", "is not a host name or IP address"));
    }

    /**
     * An absolute POSIX path without '..', empty segments or shell metacharacters, so that it can
     * be used on a remote host without surprises.
     */
    public static Optional<String> absolutePathProblem(String path) {
        if (path == null || !path.startsWith("/")) return Optional.of("'" + printable(path) + "' is not an absolute path (it must start with /)");
        if (path.length() > 1024) return Optional.of("path is longer than 1024 characters");
        String body = path.endsWith("/") && path.length() > 1 ? path.substring(1, path.length() - 1) : path.substring(1);
        if (body.isEmpty()) return Optional.of("'/' cannot be used: give a folder of its own");
        for (String seg : body.split("/", -1)) {
            if (seg.isEmpty()) return Optional.of("'" + printable(path) + "' has an empty segment (//)");
            if (seg.equals(".") || seg.equals("..")) return Optional.of("'" + printable(path) + "' contains '" + seg + "': give the path without . or ..");
            if (!PATH_SEGMENT.matcher(seg).matches()) {
                return Optional.of("'" + printable(path) + "' contains characters that are not allowed in a path here — allowed: letters, digits and _ . @ + = , -");
            }
        }
        return Optional.empty();
    }

    /** The value with control characters made visible, for error messages. */
    public static String printable(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.length() > 120 ? b.substring(0, 120) + "…" : b.toString();
    }
}
