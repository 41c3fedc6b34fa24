package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.ChainCheck;
import dev.certops.crypto.ChainReport;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.Keys;
import dev.certops.crypto.PemReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a version on the console before anything leaves it: the chain parses and links, the
 * key belongs to the leaf, the leaf is valid now, and its names cover the certificate's endpoints.
 */
final class BundleCheck {
    private BundleCheck() { }

    static void check(DeployBundle bundle, CertificateConfig cert, Instant now) throws DeployException {
        check(bundle, cert, now, Set.of(), Optional.empty());
    }

    /**
     * Refuses a version no client should be served: revoked (its serial in {@code revokedSerials}),
     * expired, not yet valid, a chain a client would reject ({@link #clientVerdict}), names that do not
     * cover the endpoints, or a key that is not the leaf's. With {@code forceReason} every refusal but the
     * key's becomes a returned problem (the caller records it with the reason); without, the first one throws.
     */
    static List<String> check(DeployBundle bundle, CertificateConfig cert, Instant now, Set<String> revokedSerials,
                              Optional<String> forceReason) throws DeployException {
        List<X509Certificate> chain = bundle.certificates();
        X509Certificate leaf = chain.get(0);
        if (!keyMatches(bundle, leaf)) {
            throw invalid(bundle, "privkey.pem does not belong to cert.pem", "deploy the key the certificate was issued for");
        }
        List<String[]> problems = new ArrayList<>();
        problems.addAll(leafProblems(leaf, cert, now, revokedSerials, bundle.certificateId()));
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                problems.add(new String[] {"chain.pem does not link: certificate " + (i + 1) + " was not issued by certificate " + (i + 2), "put the intermediates in issuing order"});
                break;
            }
        }
        clientVerdict(chain).ifPresent(v -> problems.add(new String[] {"a TLS client would reject its chain: " + v,
                "store the version with its intermediate certificates (chain.pem), or issue it again"}));
        if (problems.isEmpty()) return List.of();
        if (forceReason.isEmpty()) {
            String[] first = problems.get(0);
            throw invalid(bundle, first[0], first[1] + " (or deploy it anyway with --force --reason \"...\", which is recorded)");
        }
        return problems.stream().map(p -> p[0]).toList();
    }

    /**
     * What a TLS client would say of this chain: empty when it would accept it. The one place deploy asks;
     * full PKIX validation against the trust store can replace the body without touching the callers.
     */
    static Optional<String> clientVerdict(List<X509Certificate> chain) {
        ChainReport r = ChainCheck.analyze(chain);
        return r.problems().isEmpty() ? Optional.empty() : Optional.of(String.join("; ", r.problems()));
    }

    /** A leaf that must not be served: revoked, outside its validity, or not covering the endpoints ([what, what to do]). */
    static List<String[]> leafProblems(X509Certificate leaf, CertificateConfig cert, Instant now, Set<String> revokedSerials, String id) {
        List<String[]> out = new ArrayList<>();
        String serial = leaf.getSerialNumber().toString(16);
        if (revokedSerials.contains(serial.toLowerCase(Locale.ROOT))) {
            out.add(new String[] {"serial " + serial + " was revoked (history records it)", "deploy a version that was not revoked, or issue a new one: ./certops issue " + id});
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            out.add(new String[] {"the certificate expired on " + leaf.getNotAfter().toInstant(), "renew it first: ./certops renew " + id});
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            out.add(new String[] {"the certificate is not valid before " + leaf.getNotBefore().toInstant(), "check this machine's clock, or wait"});
        }
        CertificateInfo info = CertificateInfo.from(leaf);
        for (Endpoint e : cert.endpoints()) {
            if (!info.covers(e.sni())) {
                out.add(new String[] {"the certificate does not cover endpoint " + e + " (its names: " + info.names() + ")",
                        "add " + e.sni() + " to the certificate's names and issue again, or fix the endpoint"});
            }
        }
        return out;
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
