package dev.certops.config;

import java.util.Map;

/** Config-test and reload commands for the web servers certops knows. */
public record ServicePreset(String name, String test, String reload) {
    private static final Map<String, ServicePreset> PRESETS = Map.of(
            "nginx", new ServicePreset("nginx", "nginx -t", "systemctl reload nginx"),
            "apache", new ServicePreset("apache", "apachectl configtest", "systemctl reload apache2"),
            "haproxy", new ServicePreset("haproxy", "haproxy -c -f /etc/haproxy/haproxy.cfg", "systemctl reload haproxy"),
            "custom", new ServicePreset("custom", "true", "true"));

    public static boolean known(String name) { return PRESETS.containsKey(name); }

    public static ServicePreset of(String name) {
        ServicePreset p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown service '" + name + "'; allowed: nginx, apache, haproxy, custom");
        }
        return p;
    }
}
