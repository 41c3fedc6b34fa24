package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.Keys;
import dev.certops.crypto.PemReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Validates a version on the console before anything leaves it: the chain parses and links, the
 * key belongs to the leaf, the leaf is valid now, and its names cover the certificate's endpoints.
 */
final class BundleCheck {
    private BundleCheck() { }

    static void check(DeployBundle bundle, CertificateConfig cert, Instant now) throws DeployException {
        List<X509Certificate> chain = bundle.certificates();
        X509Certificate leaf = chain.get(0);
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw invalid(bundle, "chain.pem does not link: certificate " + (i + 1) + " was not issued by certificate " + (i + 2), "put the intermediates in issuing order");
            }
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw invalid(bundle, "the certificate expired on " + leaf.getNotAfter().toInstant(), "renew it first: ./certops renew " + bundle.certificateId());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw invalid(bundle, "the certificate is not valid before " + leaf.getNotBefore().toInstant(), "check this machine's clock, or wait");
        }
        if (!keyMatches(bundle, leaf)) {
            throw invalid(bundle, "privkey.pem does not belong to cert.pem", "deploy the key the certificate was issued for");
        }
        CertificateInfo info = CertificateInfo.from(leaf);
        for (Endpoint e : cert.endpoints()) {
            if (!info.covers(e.sni())) {
                throw invalid(bundle, "the certificate does not cover endpoint " + e + " (its names: " + info.names() + ")",
                        "add " + e.sni() + " to the certificate's names and issue again, or fix the endpoint");
            }
        }
    }

    private static DeployException invalid(DeployBundle b, String what, String next) {
        return new DeployException(null, "validate", b.certificateId() + " version " + b.versionLabel() + ": " + what, next + "; nothing was sent to any host");
    }

    private static boolean keyMatches(DeployBundle b, X509Certificate leaf) throws DeployException {
        try {
            return Keys.matches(PemReader.readPrivateKey(new String(b.keyPem(), StandardCharsets.US_ASCII), "privkey.pem", Optional.empty()), leaf);
        } catch (CryptoException e) {
            throw invalid(b, e.getMessage(), "store the version's key unencrypted in the secret store (encrypted stores are decrypted before deploy)");
        }
    }
}
