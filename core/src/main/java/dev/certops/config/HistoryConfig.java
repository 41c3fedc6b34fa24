package dev.certops.config;

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
 */
public record HistoryConfig(String url, String user, Optional<SecretRef> password, String ssl, int line) {
    public static final String ENV_PASSWORD = "CERTOPS_PG_PASSWORD";
}
