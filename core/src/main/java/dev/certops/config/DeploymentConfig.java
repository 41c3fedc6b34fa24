package dev.certops.config;

import java.util.List;
import java.util.Optional;

/**
 * How one certificate is laid down on its hosts ({@code deploy:} beside {@code waves:}).
 *
 * @param certDir  an explicit folder (same on every host); default {@code baseDir/CERT_ID} or the host's certDir
 * @param files    which files each release holds; empty = cert, chain, fullchain, privkey (+ combined for haproxy)
 * @param owner    owner of the files (needs root or sudo on the host)
 * @param group    group of the files; the key files become 0640 with a group, 0600 without
 * @param keyMode  mode of the files holding the key (privkey, combined, keystores); certificates are 0644
 * @param password the keystore password for pkcs12/jks, a {@code secret:NAME} reference
 * @param alias    the keystore entry's alias (default: the certificate id)
 */
public record DeploymentConfig(Optional<String> certDir, List<String> files, Optional<String> owner, Optional<String> group,
                               Optional<Integer> keyMode, Optional<SecretRef> password, Optional<String> alias) {
    public static final DeploymentConfig DEFAULT = new DeploymentConfig(Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());
    /** The formats certops can write, in the order a release lists them. */
    public static final List<String> FORMATS = List.of("cert", "chain", "fullchain", "privkey", "combined", "pkcs12", "jks");

    public DeploymentConfig {
        files = List.copyOf(files);
    }

    /** The mode of a file holding the private key: {@code mode:}, else 0640 with a group, else 0600. */
    public int effectiveKeyMode() { return keyMode.orElse(group.isPresent() ? 0640 : 0600); }

    public DeploymentConfig withCertDir(String dir) { return new DeploymentConfig(Optional.of(dir), files, owner, group, keyMode, password, alias); }
}
