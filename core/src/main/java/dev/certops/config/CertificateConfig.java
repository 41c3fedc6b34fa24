package dev.certops.config;

import dev.certops.crypto.KeyType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One managed certificate ({@code certificates:}).
 *
 * @param cas        CA ids in preference order (defaults to every configured CA, in order)
 * @param waves      deploy waves: the first is the canary
 * @param endpoints  where it must be served
 */
public record CertificateConfig(String id, List<String> names, KeyType key, Optional<ChallengeConfig> challenge,
                                List<String> cas, List<List<String>> waves, List<Endpoint> endpoints,
                                Optional<String> profile, boolean reuseKey, Optional<String> preferredChain,
                                Optional<Duration> renewBefore) {

    /** Every host this certificate is deployed to, in wave order. */
    public List<String> hosts() {
        return waves.stream().flatMap(List::stream).toList();
    }
}
