package dev.certops.config;

import dev.certops.words.Words;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations in configuration and options: {@code 90s}, {@code 10m}, {@code 26h}, {@code 30d}, {@code 1w}. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d|w)");

    private Durations() { }

    public static Optional<Duration> parse(String text) {
        if (text == null) return Optional.empty();
        Matcher m = P.matcher(text.trim());
        if (!m.matches()) return Optional.empty();
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        });
    }

    /** The inverse, for display: the largest whole unit. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 604800 == 0) return s / 604800 + "w";
        if (s != 0 && s % 86400 == 0) return s / 86400 + "d";
        if (s != 0 && s % 3600 == 0) return s / 3600 + "h";
        if (s != 0 && s % 60 == 0) return s / 60 + "m";
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        return s + "s";
    }

    /** Kept for callers written before {@link dev.certops.words.Words}: the same words, from there. */
    @Deprecated
    public static String human(Duration d) { return Words.duration(d); }

    public static final String ALLOWED = "a number with a unit: ms, s, m, h, d or w (e.g. 30d, 26h, 10m)";
}
