package dev.certops.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code renew:} section.
 *
 * @param renewBefore renew when less than this is left; empty means one third of the certificate's lifetime
 * @param staleAfter  warn when no renew run has succeeded for this long
 * @param discover    what each renew run also discovers ({@code discover: { targets, ports, sni }}), so unmanaged certificates alert
 */
public record RenewConfig(Optional<Duration> renewBefore, Duration staleAfter, Optional<Discover> discover) {
    public static final RenewConfig DEFAULT = new RenewConfig(Optional.empty(), Duration.ofHours(26));

    public RenewConfig(Optional<Duration> renewBefore, Duration staleAfter) { this(renewBefore, staleAfter, Optional.empty()); }

    /** A discovery target list: addresses, IPv4 CIDR ranges or names, on these ports, with these SNI names (none: the host names). */
    public record Discover(List<String> targets, List<Integer> ports, List<String> sni) { }
}
