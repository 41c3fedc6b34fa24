package dev.certops.config;

import java.util.Map;

/**
 * One DNS provider entry ({@code dns:}). {@code settings} holds the provider-specific keys
 * (url, server, tsigKey, command, ...) which the provider validates once, when built.
 */
public record DnsConfig(String id, String type, Map<String, String> settings, int line) { }
