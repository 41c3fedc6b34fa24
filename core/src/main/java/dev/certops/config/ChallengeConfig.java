package dev.certops.config;

import java.util.List;
import java.util.Optional;

/** How a certificate proves control: {@code http-01} through a host's webroot, or {@code dns-01} through a DNS provider. */
public record ChallengeConfig(Type type, Optional<String> host, Optional<String> dns, List<String> hosts) {
    /**
     * @param hosts for http-01, every host whose webroot gets the token (one, or several behind a load
     *              balancer: {@code hosts: [web1, web2]} or {@code hosts: waves}, resolved to the deploy waves' hosts)
     */
    public ChallengeConfig {
        hosts = List.copyOf(hosts);
    }

    public ChallengeConfig(Type type, Optional<String> host, Optional<String> dns) {
        this(type, host, dns, host.map(List::of).orElse(List.of()));
    }

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
            case HTTP_01 -> hosts.size() > 1 ? "http-01 through the webroots of hosts " + String.join(", ", hosts.stream().map(h -> "'" + h + "'").toList())
                    : "http-01" + host.map(h -> " through host '" + h + "' webroot").orElse("");
        };
    }
}
