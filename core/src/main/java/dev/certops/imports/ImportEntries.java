package dev.certops.imports;

import dev.certops.config.CaConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.crypto.CertificateInfo;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * certops.yaml entries for imported lineages, with comments saying where each came from and what
 * certops could not set by itself; and the text merge that adds them to certops.yaml's
 * {@code certificates:} list (checked by the caller with the config loader before anything is written).
 */
public final class ImportEntries {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Pattern HEADER = Pattern.compile("(?m)^certificates:[ \\t]*(\\[\\s*\\])?[ \\t]*$");
    private static final Pattern FIRST_ITEM = Pattern.compile("(?m)^([ \\t]*)- ");

    private ImportEntries() { }

    /** The configured CA whose directory is this URL (certops' CA id for the versions), if any. */
    public static Optional<String> caId(CertopsConfig config, Optional<String> directory) {
        return directory.flatMap(d -> config.cas().stream().filter(c -> same(c, d)).map(CaConfig::id).findFirst());
    }

    private static boolean same(CaConfig c, String url) {
        String a = c.directory().toString().replaceAll("/+$", "");
        String b = url.replaceAll("/+$", "");
        return a.equals(b) || c.staging().map(s -> s.toString().replaceAll("/+$", "").equals(b)).orElse(false);
    }

    /** Entries (two-space indented list items) for {@code certificates:}. */
    public static String yaml(List<Lineage> lineages, CertopsConfig config) {
        StringBuilder y = new StringBuilder();
        for (Lineage l : lineages) {
            CertificateInfo newest = CertificateInfo.from(l.versions().stream().max((a, b) -> a.leaf().getNotBefore().compareTo(b.leaf().getNotBefore()))
                    .orElseThrow().leaf());
            y.append("  # ").append(l.source()).append(": ").append(l.versions().size()).append(" version(s), newest serial ").append(newest.serial())
                    .append(", expires ").append(DAY.format(newest.notAfter())).append('\n');
            for (String note : l.notes()) y.append("  # ").append(note).append('\n');
            Optional<String> ca = caId(config, l.caDirectory());
            if (ca.isEmpty() && l.caDirectory().isPresent()) {
                y.append("  # issued by ").append(l.caDirectory().get()).append(": add that CA under cas: (directory: ").append(l.caDirectory().get())
                        .append(") and list its id in cas: below so renewals use the same CA (ARI replaces)\n");
            }
            y.append("  - id: ").append(l.id()).append('\n');
            y.append("    names: [").append(String.join(", ", l.names())).append("]\n");
            l.keyType().ifPresent(k -> y.append("    key: ").append(k).append('\n'));
            ca.ifPresent(c -> y.append("    cas: [").append(c).append("]\n"));
            l.challenge().ifPresent(c -> y.append("    challenge: ").append(c).append('\n'));
        }
        return y.toString();
    }

    /** certops.yaml's text with {@code entries} added at the top of its certificates: list (created when absent). */
    public static String merge(String config, String entries) {
        Matcher h = HEADER.matcher(config);
        if (!h.find()) {
            String sep = config.isEmpty() || config.endsWith("\n") ? "" : "\n";
            return config + sep + "certificates:\n" + entries;
        }
        String after = config.substring(h.end());
        if (h.group(1) == null) after = after.replaceFirst("^\\n[ \\t]*\\[\\s*\\][ \\t]*(?=\\n|$)", ""); // an empty flow list on the next line
        Matcher item = FIRST_ITEM.matcher(after);
        String indent = h.group(1) == null && item.find() ? item.group(1) : "  ";
        String shifted = entries.replaceAll("(?m)^  ", indent);
        return config.substring(0, h.start()) + "certificates:\n" + shifted + (after.startsWith("\n") ? after.substring(1) : after);
    }
}
