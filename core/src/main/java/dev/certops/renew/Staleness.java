package dev.certops.renew;

import dev.certops.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The dead man's switch behind {@code certops status}: managed certificates but no successful renew run for staleAfter. */
public final class Staleness {
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
        return Optional.of("no renew run has succeeded for " + Durations.human(since) + " (last " + lastSuccess.get()
                + ", staleAfter " + Durations.format(staleAfter) + ") — check `certops schedule show` and the renew.* history events");
    }
}
