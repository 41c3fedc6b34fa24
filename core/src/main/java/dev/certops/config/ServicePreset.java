package dev.certops.config;

import java.util.List;
import java.util.Map;

/**
 * The services certops knows, with the config-test and reload commands used when nothing about
 * the host is known yet (dry runs, snippets). On a connected host the commands are chosen by
 * {@code dev.certops.deploy.ServiceCommands} from what the host has (systemd, service, rc-service;
 * apache2 or httpd) and the config the running server was started with.
 */
public record ServicePreset(String name, String test, String reload) {
    private static final Map<String, ServicePreset> PRESETS = Map.of(
            "nginx", new ServicePreset("nginx", "nginx -t", "systemctl reload nginx"),
            "apache", new ServicePreset("apache", "apachectl configtest", "systemctl reload apache2"),
            "haproxy", new ServicePreset("haproxy", "haproxy -c -q -f /etc/haproxy/haproxy.cfg", "systemctl reload haproxy"),
            "postfix", new ServicePreset("postfix", "postfix check", "systemctl reload postfix"),
            "dovecot", new ServicePreset("dovecot", "doveconf -n", "systemctl reload dovecot"),
            "custom", new ServicePreset("custom", "true", "true"));

    /** The names, in the order messages list them. */
    public static final List<String> NAMES = List.of("nginx", "apache", "haproxy", "postfix", "dovecot", "custom");

    public static boolean known(String name) { return PRESETS.containsKey(name); }

    public static ServicePreset of(String name) {
        ServicePreset p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown service '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
        return p;
    }
}
