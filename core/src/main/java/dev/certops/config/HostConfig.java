package dev.certops.config;

import java.util.Optional;
import java.util.Set;

/**
 * One host entry ({@code hosts:}). {@code address: local} means the console's own machine
 * (files written directly, commands run without SSH).
 *
 * @param certDir the host's folder: with {@code baseDir} set it is that base (each certificate gets
 *                {@code BASE/CERT_ID}); otherwise the one folder of an explicit {@code certDir:}
 * @param baseDir present when the host entry gave {@code baseDir:} (per-certificate folders)
 * @param sudo    files are staged as the SSH user and moved into place, tests and reloads run, with {@code sudo -n}
 * @param sshConfig an OpenSSH client config to read for this host ({@code sshConfig:}); default ~/.ssh/config when it exists
 * @param given   the keys certops.yaml gave for this host: they override the OpenSSH config (port, user, identity)
 */
public record HostConfig(String id, boolean drill, String address, int port, String user,
                         Optional<String> identity, Optional<String> knownHosts, Optional<String> jump,
                         String service, Optional<String> test, Optional<String> reload,
                         String certDir, Optional<String> webroot, int keepReleases,
                         Optional<String> baseDir, boolean sudo, Optional<String> sshConfig, Set<String> given) {

    /** Every key counts as given: an entry built in code is not completed from an OpenSSH config. */
    public static final Set<String> ALL_GIVEN = Set.of("port", "user", "identity");

    public HostConfig {
        given = Set.copyOf(given);
    }

    public HostConfig(String id, boolean drill, String address, int port, String user,
                      Optional<String> identity, Optional<String> knownHosts, Optional<String> jump,
                      String service, Optional<String> test, Optional<String> reload,
                      String certDir, Optional<String> webroot, int keepReleases, Optional<String> baseDir, boolean sudo) {
        this(id, drill, address, port, user, identity, knownHosts, jump, service, test, reload, certDir, webroot, keepReleases, baseDir, sudo, Optional.empty(), ALL_GIVEN);
    }

    public static final String LOCAL = "local";

    /** A host entry with one explicit certDir and no sudo (the layout before baseDir:). */
    public HostConfig(String id, boolean drill, String address, int port, String user,
                      Optional<String> identity, Optional<String> knownHosts, Optional<String> jump,
                      String service, Optional<String> test, Optional<String> reload,
                      String certDir, Optional<String> webroot, int keepReleases) {
        this(id, drill, address, port, user, identity, knownHosts, jump, service, test, reload, certDir, webroot, keepReleases, Optional.empty(), false, Optional.empty(), ALL_GIVEN);
    }

    public boolean isLocal() { return LOCAL.equals(address); }

    /** The config-test command: the override, else the service preset's. */
    public String testCommand() { return test.orElse(ServicePreset.of(service).test()); }

    /** The reload command: the override, else the service preset's. */
    public String reloadCommand() { return reload.orElse(ServicePreset.of(service).reload()); }

    /**
     * The folder holding {@code releases/} and {@code live} for one certificate on this host: the
     * certificate's own {@code deploy.certDir:}, else {@code baseDir/CERT_ID}, else the host's certDir.
     */
    public String certDirFor(CertificateConfig certificate) {
        return certificate.deployment().certDir()
                .orElseGet(() -> baseDir.map(b -> b + "/" + certificate.id()).orElse(certDir));
    }

    /** True when the folder for {@code certificate} was given explicitly (not derived from baseDir). */
    public boolean explicitCertDirFor(CertificateConfig certificate) {
        return certificate.deployment().certDir().isPresent() || baseDir.isEmpty();
    }

    public HostConfig withSudo(boolean on) {
        return new HostConfig(id, drill, address, port, user, identity, knownHosts, jump, service, test, reload, certDir, webroot, keepReleases, baseDir, on, sshConfig, given);
    }

    /** The same entry reached as OpenSSH's config says: host name, port, user and identity resolved. */
    public HostConfig resolvedTo(String hostName, int newPort, String newUser, Optional<String> newIdentity, Optional<String> newJump) {
        return new HostConfig(id, drill, hostName, newPort, newUser, newIdentity, knownHosts, newJump, service, test, reload, certDir, webroot, keepReleases, baseDir, sudo, sshConfig, ALL_GIVEN);
    }

    public HostConfig withBaseDir(String base) {
        return new HostConfig(id, drill, address, port, user, identity, knownHosts, jump, service, test, reload, base, webroot, keepReleases, Optional.of(base), sudo, sshConfig, given);
    }
}
