package dev.certops.acme;

import dev.certops.config.CertificateConfig;
import dev.certops.crypto.Keys;
import java.security.KeyPair;
import java.util.Optional;

/**
 * The key a new order is finalized with: a fresh key of the configured type by default; with
 * {@code reuseKey: true}, the newest stored version's key when it is still of the configured type.
 */
final class CertificateKeys {
    private CertificateKeys() { }

    /** A key and, for the progress report, where it came from. */
    record Chosen(KeyPair pair, String description) { }

    /** @param freshKey a new key even with {@code reuseKey: true} (after a key compromise the old key must never be reused) */
    static Chosen forNewOrder(CertificateConfig cert, CertificateVersions versions, boolean freshKey) throws Exception {
        if (cert.reuseKey() && !freshKey) {
            Optional<CertificateVersions.Version> latest = versions.latest(cert.id());
            if (latest.isPresent()) {
                KeyPair kp = KeyPairs.of(versions.secrets().readPrivateKey(latest.get().keyRef()));
                if (Keys.typeOf(kp.getPublic()).filter(t -> t == cert.key()).isPresent()) {
                    return new Chosen(kp, "the " + cert.key() + " key of version " + latest.get().number() + " (reuseKey)");
                }
                return new Chosen(Keys.generate(cert.key()), "a new " + cert.key() + " key (version " + latest.get().number()
                        + " has another key type, so reuseKey cannot apply)");
            }
        }
        return new Chosen(Keys.generate(cert.key()), "a new " + cert.key() + " key");
    }
}
