package dev.certops.estate;

import dev.certops.config.CertificateConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.CertificateInfo;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * "Which of my certificates …" in an incident: issued by CA X (a mass revocation: the issuer of
 * what is served or live on disk, never the configuration; {@link #byConfiguredCa} asks that), with one of these
 * serials (the CA's revocation list), matching a name pattern, or with at most N days left. A
 * certificate matches when what it serves or holds on disk matches.
 */
public final class ImpactQuery {
    private ImpactQuery() { }

    public static List<CertificateView> byCa(EstateSnapshot s, String ca) {
        String want = ca.toLowerCase(Locale.ROOT);
        return filter(s, i -> false, c -> c.ca().toLowerCase(Locale.ROOT).equals(want)
                || c.endpoints().stream().anyMatch(e -> e.ca().toLowerCase(Locale.ROOT).equals(want))
                || seen(c).anyMatch(i -> (i.issuerCn() + " " + i.issuerOrg()).toLowerCase(Locale.ROOT).contains(want)));
    }

    /** Configured for CA {@code ca} (first in the certificate's {@code cas:}), whoever issued what it serves: a separate question from {@link #byCa}. */
    public static List<CertificateView> byConfiguredCa(EstateSnapshot s, CertopsConfig cfg, String ca) {
        Set<String> ids = cfg.certificates().stream().filter(c -> !cfg.casFor(c).isEmpty() && cfg.casFor(c).get(0).id().equalsIgnoreCase(ca))
                .map(CertificateConfig::id).collect(Collectors.toSet());
        return filter(s, i -> false, c -> ids.contains(c.id()));
    }

    /** Serials in hex, any case, with or without colons and leading zeros. */
    public static List<CertificateView> bySerials(EstateSnapshot s, Set<String> serials) {
        Set<String> normalized = serials.stream().map(ImpactQuery::normalizeSerial).collect(Collectors.toSet());
        return filter(s, i -> normalized.contains(i.serial()), c -> false);
    }

    /** Shell-style pattern over the names: {@code *.example.com}, {@code api.*}. */
    public static List<CertificateView> byNames(EstateSnapshot s, String pattern) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.toLowerCase(Locale.ROOT));
        return filter(s, i -> false, c -> c.names().stream().anyMatch(n -> m.matches(Path.of(n.toLowerCase(Locale.ROOT)))));
    }

    public static List<CertificateView> byDaysLeft(EstateSnapshot s, long atMost) {
        return filter(s, i -> false, c -> c.daysLeft().map(d -> d <= atMost).orElse(false));
    }

    /**
     * A file of serials, one per line (hex, any case, colons allowed; blank lines and {@code #}
     * comments skipped) — e.g. a CA's list of revoked serials.
     *
     * @throws IllegalArgumentException naming the line that is not a serial
     */
    public static Set<String> readSerials(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new FileNotFoundException(file + " cannot be read: give a file of serials (hex), one per line");
        }
        Set<String> out = new LinkedHashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                out.add(normalizeSerial(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (n + 1) + ": " + e.getMessage() + " — one hex serial per line, # for comments");
            }
        }
        return out;
    }

    public static String normalizeSerial(String serial) {
        String s = serial.strip().replace(":", "").toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        if (!s.matches("[0-9a-f]+")) throw new IllegalArgumentException("'" + serial.strip() + "' is not a hex serial");
        return s;
    }

    private static List<CertificateView> filter(EstateSnapshot s, Predicate<CertificateInfo> byInfo, Predicate<CertificateView> byView) {
        return s.certificates().stream().filter(c -> byView.test(c) || seen(c).anyMatch(byInfo)).toList();
    }

    private static Stream<CertificateInfo> seen(CertificateView c) {
        return Stream.concat(c.endpoints().stream().flatMap(e -> e.served().stream()),
                c.deployments().stream().flatMap(d -> d.live().stream()));
    }
}
