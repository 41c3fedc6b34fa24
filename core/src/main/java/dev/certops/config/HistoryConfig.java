package dev.certops.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code history:} section: team mode's shared PostgreSQL history. Absent: the workspace's local
 * SQLite file. The password is a {@code secret:} reference (a file in secrets/) or, when absent, comes
 * from {@code $CERTOPS_PG_PASSWORD}; it is never written in certops.yaml.
 *
 * @param url      jdbc:postgresql://HOST:PORT/DATABASE
 * @param user     the database user
 * @param password the secret: reference, if given
 * @param ssl      require (default), verify-full, or disable (loopback only)
 * @param leaseTtl how long a lease outlives its console's last heartbeat (default 60 s): how long a
 *                 crashed laptop can block the team's work on a certificate
 */
public record HistoryConfig(String url, String user, Optional<SecretRef> password, String ssl, Duration leaseTtl, int line) {
    public static final String ENV_PASSWORD = "CERTOPS_PG_PASSWORD";
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(60);
}
