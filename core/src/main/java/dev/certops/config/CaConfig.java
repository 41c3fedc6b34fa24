package dev.certops.config;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * One ACME CA entry ({@code cas:}); the first in the list is the primary.
 *
 * @param limits       rate-limit preset name ("letsencrypt", "letsencrypt-staging", "none")
 * @param limitOverrides per-limit overrides from {@code limits: { name: { capacity, refill } }}
 */
public record CaConfig(String id, URI directory, Optional<URI> staging, Optional<String> trust,
                       Optional<String> contact, boolean agreeToTerms, Optional<Eab> eab,
                       String limits, Map<String, LimitOverride> limitOverrides,
                       Optional<String> caaIdentity) {

    /** External Account Binding credentials. */
    public record Eab(String kid, SecretRef hmac) {
        @Override public String toString() { return "Eab[kid=" + kid + ", hmac=" + hmac + "]"; }
    }

    /** A rate-limit override: capacity tokens, refill "1/36s" style (one token per period). */
    public record LimitOverride(long capacity, String refill) { }
}
