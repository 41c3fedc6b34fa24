package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

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
        if (!keyMatches(bundle.keyPem(), leaf.getPublicKey())) {
            throw invalid(bundle, "privkey.pem does not belong to cert.pem", "deploy the key the certificate was issued for");
        }
        List<String> names = names(leaf);
        for (Endpoint e : cert.endpoints()) {
            if (names.stream().noneMatch(n -> covers(n, e.sni()))) {
                throw invalid(bundle, "the certificate does not cover endpoint " + e + " (its names: " + names + ")",
                        "add " + e.sni() + " to the certificate's names and issue again, or fix the endpoint");
            }
        }
    }

    private static DeployException invalid(DeployBundle b, String what, String next) {
        return new DeployException(null, "validate", b.certificateId() + " version " + b.versionLabel() + ": " + what, next + "; nothing was sent to any host");
    }

    /** Signs a challenge with the private key and verifies it with the leaf's public key. */
    static boolean keyMatches(byte[] keyPem, PublicKey pub) {
        try {
            String alg = pub.getAlgorithm();
            PrivateKey key = KeyFactory.getInstance(alg.equals("EdDSA") ? "Ed25519" : alg).generatePrivate(new PKCS8EncodedKeySpec(der(keyPem)));
            String sigAlg = switch (alg) {
                case "EC" -> "SHA256withECDSA";
                case "RSA" -> "SHA256withRSA";
                default -> alg;
            };
            byte[] challenge = "certops key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(sigAlg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(sigAlg);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig);
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] der(byte[] pem) {
        String s = new String(pem, java.nio.charset.StandardCharsets.US_ASCII);
        int begin = s.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = s.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) throw new IllegalArgumentException("not a PKCS#8 PEM private key");
        return Base64.getMimeDecoder().decode(s.substring(begin + 27, end));
    }

    static List<String> names(X509Certificate leaf) throws DeployException {
        List<String> out = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (san.get(0) instanceof Integer t && (t == 2 || t == 7)) out.add(san.get(1).toString().toLowerCase(Locale.ROOT));
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            throw new DeployException(null, "validate", "the certificate's names do not parse: " + e.getMessage(), null);
        }
        return out;
    }

    static boolean covers(String name, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (name.equals(h)) return true;
        if (name.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(name.substring(2));
        }
        return false;
    }
}
