package dev.certops.config;

import java.util.Optional;

/** How a certificate proves control: {@code http-01} through a host's webroot, or {@code dns-01} through a DNS provider. */
public record ChallengeConfig(Type type, Optional<String> host, Optional<String> dns) {
    public enum Type {
        HTTP_01("http-01"), DNS_01("dns-01");
        private final String configName;
        Type(String configName) { this.configName = configName; }
        public String configName() { return configName; }
    }

    /** For previews and messages: "dns-01 via DNS provider 'lab'", "http-01 through host 'web1''s webroot". */
    public String describe() {
        return switch (type) {
            case DNS_01 -> "dns-01" + dns.map(d -> " via DNS provider '" + d + "'").orElse("");
            case HTTP_01 -> "http-01" + host.map(h -> " through host '" + h + "' webroot").orElse("");
        };
    }
}
