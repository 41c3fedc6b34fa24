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
 * @param deployment how its files are laid down on the hosts (folder, formats, owner, modes)
 */
public record CertificateConfig(String id, List<String> names, KeyType key, Optional<ChallengeConfig> challenge,
                                List<String> cas, List<List<String>> waves, List<Endpoint> endpoints,
                                Optional<String> profile, boolean reuseKey, Optional<String> preferredChain,
                                Optional<Duration> renewBefore, DeploymentConfig deployment) {

    /** A certificate laid down with the default files and modes. */
    public CertificateConfig(String id, List<String> names, KeyType key, Optional<ChallengeConfig> challenge,
                             List<String> cas, List<List<String>> waves, List<Endpoint> endpoints,
                             Optional<String> profile, boolean reuseKey, Optional<String> preferredChain,
                             Optional<Duration> renewBefore) {
        this(id, names, key, challenge, cas, waves, endpoints, profile, reuseKey, preferredChain, renewBefore, DeploymentConfig.DEFAULT);
    }

    public CertificateConfig withDeployment(DeploymentConfig d) {
        return new CertificateConfig(id, names, key, challenge, cas, waves, endpoints, profile, reuseKey, preferredChain, renewBefore, d);
    }

    /** Every host this certificate is deployed to, in wave order. */
    public List<String> hosts() {
        return waves.stream().flatMap(List::stream).toList();
    }
}
