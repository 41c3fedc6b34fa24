package dev.certops.config;

import java.util.Optional;

/**
 * One host entry ({@code hosts:}). {@code address: local} means the console's own machine
 * (files written directly, commands run without SSH).
 */
public record HostConfig(String id, boolean drill, String address, int port, String user,
                         Optional<String> identity, Optional<String> knownHosts, Optional<String> jump,
                         String service, Optional<String> test, Optional<String> reload,
                         String certDir, Optional<String> webroot, int keepReleases) {

    public static final String LOCAL = "local";

    public boolean isLocal() { return LOCAL.equals(address); }

    /** The config-test command: the override, else the service preset's. */
    public String testCommand() { return test.orElse(ServicePreset.of(service).test()); }

    /** The reload command: the override, else the service preset's. */
    public String reloadCommand() { return reload.orElse(ServicePreset.of(service).reload()); }
}
