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
}
