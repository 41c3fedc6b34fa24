package dev.certops.config;

import java.util.List;
import java.util.Map;

/**
 * One DNS provider entry ({@code dns:}). {@code settings} holds the provider-specific keys
 * (url, server, tsigKey, command, ...) which the provider validates once, when built.
 */
public record DnsConfig(String id, String type, Map<String, String> settings, int line) {
    /** The provider types certops knows, in the order the docs list them. */
    public static final List<String> TYPES = List.of("rfc2136", "powerdns", "cloudflare", "route53", "acme-dns", "exec", "challtestsrv");
}
