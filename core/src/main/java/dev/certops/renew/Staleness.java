package dev.certops.renew;

import dev.certops.config.Durations;
import dev.certops.words.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The dead man's switch behind {@code certops status} and the console's status bar: managed certificates
 * but no successful renew run for staleAfter. Every wording of it lives here — the full warning, the
 * status bar's headline and the one next step both give.
 */
public final class Staleness {
    /** What to do when renewals stopped succeeding. */
    public static final String NEXT_STEP = "check the timer: ./certops schedule status";

    private Staleness() { }

    /** A warning to show, or empty when renewal is running as it should (or nothing is managed). */
    public static Optional<String> check(int managedCertificates, Optional<Instant> lastSuccess, Duration staleAfter, Instant now) {
        if (managedCertificates == 0) return Optional.empty();
        if (lastSuccess.isEmpty()) {
            return Optional.of("renew has never succeeded for the " + managedCertificates
                    + " managed certificates — run `certops renew`, then `certops schedule install --systemd` (or --cron)");
        }
        Duration since = Duration.between(lastSuccess.get(), now);
        if (since.compareTo(staleAfter) < 0) return Optional.empty();
        return Optional.of("no renew run has succeeded for " + Words.duration(since) + " (last " + Words.instant(lastSuccess.get())
                + ", staleAfter " + Durations.format(staleAfter) + ") — " + NEXT_STEP + ", and the renew.* history events");
    }

    /**
     * The same warning as one short status-bar line, or empty when {@link #check} gives none: "Renewals have not
     * succeeded for 3 d — run ./certops status / check the timer: ./certops schedule status".
     */
    public static Optional<String> headline(int managedCertificates, Optional<Instant> lastSuccess, Duration staleAfter, Instant now) {
        return situation(managedCertificates, lastSuccess, staleAfter, now).map(what -> what + " — run ./certops status / " + NEXT_STEP);
    }

    /**
     * What is wrong, without a command to type (the console offers its own buttons): "Renewals have not
     * succeeded for 3 d", "Renewals have never succeeded"; empty when {@link #check} gives no warning.
     */
    public static Optional<String> situation(int managedCertificates, Optional<Instant> lastSuccess, Duration staleAfter, Instant now) {
        if (check(managedCertificates, lastSuccess, staleAfter, now).isEmpty()) return Optional.empty();
        return Optional.of(lastSuccess.map(t -> "Renewals have not succeeded for " + Words.roughly(Duration.between(t, now)))
                .orElse("Renewals have never succeeded"));
    }
}
