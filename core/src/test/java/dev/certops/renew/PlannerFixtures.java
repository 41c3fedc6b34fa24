package dev.certops.renew;

import dev.certops.config.CertificateConfig;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.Fingerprint;
import dev.certops.crypto.KeyType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Values for planner tests: configured certificates and certificate facts. */
final class PlannerFixtures {
    static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    private PlannerFixtures() { }

    static CertificateConfig config(String id, List<String> names, KeyType key, Optional<Duration> renewBefore) {
        return new CertificateConfig(id, names, key, Optional.empty(), List.of(), List.of(List.of("web1")), List.of(),
                Optional.empty(), false, Optional.empty(), renewBefore);
    }

    static CertificateConfig config(String id, String name) {
        return config(id, List.of(name), KeyType.EC_P256, Optional.empty());
    }

    /** A certificate issued {@code age} ago with the given lifetime. */
    static CertificateInfo cert(String serial, List<String> names, KeyType key, Duration age, Duration lifetime) {
        Instant nb = NOW.minus(age);
        return new CertificateInfo(names.get(0), names, "CN=Pebble Intermediate", "Pebble Intermediate", "", serial,
                key.configName(), Optional.of(key), nb, nb.plus(lifetime), new Fingerprint(serial + "00"), false, "");
    }

    static CertificateInfo cert(String serial, String name, Duration age, Duration lifetime) {
        return cert(serial, List.of(name), KeyType.EC_P256, age, lifetime);
    }
}
