package dev.certops.ratelimit;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The limits a CA enforces, as Let's Encrypt names them. {@link #configKey()} is the name used under
 * {@code limits:} in certops.yaml to override a value.
 */
public enum LimitKind {
    /** New orders per ACME account; key: the account URL. */
    NEW_ORDERS_PER_ACCOUNT("newOrdersPerAccount", "new orders per account", true),
    /** New certificates per registered domain, all accounts together; key: the registered domain. */
    NEW_CERTS_PER_REGISTERED_DOMAIN("newCertificatesPerRegisteredDomain", "new certificates per registered domain", true),
    /** New certificates per exact set of identifiers, all accounts; key: the sorted, lower-cased names. */
    NEW_CERTS_PER_EXACT_SET("newCertificatesPerExactSet", "new certificates per exact set of identifiers", true),
    /** Failed authorizations per identifier per account; key: account + " " + identifier. Checked, not spent, by an order. */
    AUTHZ_FAILURES_PER_IDENTIFIER("authorizationFailuresPerIdentifier", "authorization failures per identifier per account", false),
    /** Consecutive failed authorizations per identifier per account, reset on success; key as above. */
    CONSECUTIVE_AUTHZ_FAILURES("consecutiveAuthorizationFailures", "consecutive authorization failures per identifier per account", false),
    /** New accounts per IP address; key: this machine. */
    NEW_ACCOUNTS_PER_IP("newAccountsPerIp", "new accounts per IP address", false);

    private final String configKey;
    private final String description;
    private final boolean spentByIssuance;

    LimitKind(String configKey, String description, boolean spentByIssuance) {
        this.configKey = configKey;
        this.description = description;
        this.spentByIssuance = spentByIssuance;
    }

    public String configKey() { return configKey; }
    public String description() { return description; }
    /** True when issuing a certificate takes a token from this bucket (false: only failures/accounts do). */
    public boolean spentByIssuance() { return spentByIssuance; }

    public static Optional<LimitKind> byConfigKey(String key) {
        return Arrays.stream(values()).filter(k -> k.configKey.equals(key)).findFirst();
    }

    /** The valid config keys, for error messages. */
    public static String configKeys() {
        return Arrays.stream(values()).map(LimitKind::configKey).collect(Collectors.joining(", "));
    }
}
