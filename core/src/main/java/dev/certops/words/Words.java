package dev.certops.words;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Durations, instants, lists and counts as people read them. Nothing here prints a nanosecond, a Java
 * list ({@code [a, b]}), an {@code Optional[…]} or a record's {@code toString}.
 */
public final class Words {
    /** What an empty list reads as. */
    public static final String NONE = "none";

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss z", Locale.ROOT);
    private static final DateTimeFormatter LOCAL_MINUTE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private Words() { }

    // ---- durations

    /**
     * A span for people: the two largest units, "3 d 4 h", "5 h 12 min", "40 min 3 s", "41 s". Negative
     * reads as "0 s". For a measured step time with sub-second detail use {@link #elapsed}.
     */
    public static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s >= 86400) return s / 86400 + " d " + s % 86400 / 3600 + " h";
        if (s >= 3600) return s / 3600 + " h " + s % 3600 / 60 + " min";
        if (s >= 60) return s / 60 + " min " + s % 60 + " s";
        return s + " s";
    }

    /**
     * "3 d", "27 h", "40 min": the largest unit with at least two of it (a day and a half reads "36 h"), the
     * coarse form of {@link #duration} for a status bar.
     */
    public static String roughly(Duration d) {
        if (d.toDays() >= 2) return d.toDays() + " d";
        if (d.toHours() >= 2) return d.toHours() + " h";
        return Math.max(0, d.toMinutes()) + " min";
    }

    /** A measured time: "133 ms", "3.9 s", "41 s", "2 min 5 s" (one decimal under ten seconds). */
    public static String elapsed(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) return ms + " ms";
        if (ms < 10_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        return duration(d);
    }

    /** "in 3 d 4 h" for a moment ahead, "3 d 4 h ago" for one behind, "now" within a second. */
    public static String relative(Instant at, Instant now) {
        Duration d = Duration.between(now, at);
        if (Math.abs(d.getSeconds()) < 1) return "now";
        return d.isNegative() ? duration(d.negated()) + " ago" : "in " + duration(d);
    }

    // ---- instants

    /** Local time to the second with its zone: "2026-12-06 05:35:12 CET". */
    public static String instant(Instant at) { return instant(at, ZoneId.systemDefault()); }

    public static String instant(Instant at, ZoneId zone) { return LOCAL.format(at.atZone(zone)); }

    /** An optional moment: the instant, or "never". */
    public static String instant(Optional<Instant> at) { return at.map(Words::instant).orElse("never"); }

    /** Local time to the minute, for narrow table columns: "2026-12-06 05:35". */
    public static String minute(Instant at) { return minute(at, ZoneId.systemDefault()); }

    public static String minute(Instant at, ZoneId zone) { return LOCAL_MINUTE.format(at.atZone(zone)); }

    /** Local clock time alone: "05:35:12" (for lines of a run that happen today). */
    public static String clock(Instant at) { return CLOCK.format(at.atZone(ZoneId.systemDefault())); }

    /** For JSON and machine files: UTC ISO-8601 to the second, "2026-12-06T04:35:12Z". */
    public static String iso(Instant at) { return at.truncatedTo(ChronoUnit.SECONDS).toString(); }

    // ---- text

    private static final Pattern BOLD = Pattern.compile("\\*\\*(.+?)\\*\\*|__(.+?)__");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w*])\\*(?!\\s)(.+?)(?<!\\s)\\*(?![\\w*])");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+");

    /**
     * Markdown (runbook guides) as plain text for a terminal or a text field: "**Why:** run `nginx -t`" reads
     * "Why: run nginx -t"; links read "text (address)"; headings lose their #; lists and line breaks stay.
     */
    public static String plain(String markdown) {
        if (markdown == null) return "";
        String s = HEADING.matcher(markdown).replaceAll("");
        s = LINK.matcher(s).replaceAll("$1 ($2)");
        s = BOLD.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) != null ? m.group(1) : m.group(2)));
        s = ITALIC.matcher(s).replaceAll("$1");
        return CODE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    // ---- lists and counts

    /** "web1, web2, web3"; an empty list reads "none". */
    public static String list(Collection<?> items) {
        if (items == null || items.isEmpty()) return NONE;
        return items.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** "web1, web2 and web3"; an empty list reads "none". */
    public static String and(Collection<?> items) {
        if (items == null || items.isEmpty()) return NONE;
        var all = items.stream().map(String::valueOf).toList();
        if (all.size() == 1) return all.get(0);
        return String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    /** "0 hosts", "1 host", "2 hosts" (a regular plural: the noun and an s). */
    public static String count(long n, String noun) { return count(n, noun, plural(noun)); }

    /** "1 entry", "3 entries": an irregular plural given. */
    public static String count(long n, String singular, String plural) { return n + " " + (n == 1 ? singular : plural); }

    /** "1 host: web1", "2 hosts: web1, web2", "0 hosts". */
    public static String counted(Collection<?> items, String noun) {
        int n = items == null ? 0 : items.size();
        return n == 0 ? count(0, noun) : count(n, noun) + ": " + list(items);
    }

    /** "host web1", "hosts web1 and web2", "no host". */
    public static String named(Collection<?> items, String noun) {
        int n = items == null ? 0 : items.size();
        if (n == 0) return "no " + noun;
        return (n == 1 ? noun : plural(noun)) + " " + and(items);
    }

    private static String plural(String noun) {
        if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("sh") || noun.endsWith("ch")) return noun + "es";
        if (noun.endsWith("y") && noun.length() > 1 && "aeiou".indexOf(noun.charAt(noun.length() - 2)) < 0) {
            return noun.substring(0, noun.length() - 1) + "ies";
        }
        return noun + "s";
    }
}
