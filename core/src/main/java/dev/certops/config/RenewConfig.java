package dev.certops.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code renew:} section.
 *
 * @param renewBefore renew when less than this is left; empty means one third of the certificate's lifetime
 * @param staleAfter  warn when no renew run has succeeded for this long
 */
public record RenewConfig(Optional<Duration> renewBefore, Duration staleAfter) {
    public static final RenewConfig DEFAULT = new RenewConfig(Optional.empty(), Duration.ofHours(26));
}
