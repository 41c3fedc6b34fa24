package dev.certops.deploy;

import dev.certops.crypto.CryptoException;
import dev.certops.crypto.Fingerprint;
import dev.certops.crypto.PemReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What is deployed: one version of a certificate. The deployer does not know where versions are
 * stored; the CLI (or the console) resolves them and hands this over.
 *
 * @param certificateId the certificate's id in certops.yaml
 * @param versionLabel  which version ("3", "drill-1"), for history and release names
 * @param leafPem       the leaf certificate (cert.pem)
 * @param chainPem      the intermediates (chain.pem), may be empty
 * @param keyPem        the private key (privkey.pem) — never shown in toString, logs or history
 */
public record DeployBundle(String certificateId, String versionLabel, byte[] leafPem, byte[] chainPem, byte[] keyPem) {

    public DeployBundle {
        leafPem = leafPem.clone();
        chainPem = chainPem.clone();
        keyPem = keyPem.clone();
    }

    @Override public byte[] leafPem() { return leafPem.clone(); }
    @Override public byte[] chainPem() { return chainPem.clone(); }
    @Override public byte[] keyPem() { return keyPem.clone(); }

    /** Leaf then intermediates, what servers send (fullchain.pem). */
    public byte[] fullchainPem() {
        String leaf = new String(leafPem, StandardCharsets.US_ASCII);
        if (!leaf.endsWith("\n")) leaf += "\n";
        byte[] l = leaf.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[l.length + chainPem.length];
        System.arraycopy(l, 0, out, 0, l.length);
        System.arraycopy(chainPem, 0, out, l.length, chainPem.length);
        return out;
    }

    /** The leaf and the chain, parsed. Fails with a message that names the file. */
    public List<X509Certificate> certificates() throws DeployException {
        List<X509Certificate> all = new ArrayList<>(parse(leafPem, "cert.pem"));
        if (all.size() != 1) throw invalid("cert.pem must hold exactly one certificate (found " + all.size() + ")");
        if (chainPem.length > 0) all.addAll(parse(chainPem, "chain.pem"));
        return List.copyOf(all);
    }

    public X509Certificate leaf() throws DeployException { return certificates().get(0); }

    /** Lower-case hex SHA-256 of the leaf's DER: what a TLS handshake must show after the deploy. */
    public String leafSha256() throws DeployException { return sha256Hex(leaf()); }

    public static String sha256Hex(X509Certificate cert) { return Fingerprint.of(cert).hex(); }

    private List<X509Certificate> parse(byte[] pem, String name) throws DeployException {
        try {
            return PemReader.readCertificates(new String(pem, StandardCharsets.US_ASCII), name);
        } catch (CryptoException e) {
            throw invalid(e.getMessage());
        }
    }

    private DeployException invalid(String what) {
        return new DeployException(null, "validate", certificateId + " version " + versionLabel + ": " + what,
                "re-issue or re-import this version; nothing was sent to any host");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeployBundle b && b.certificateId.equals(certificateId) && b.versionLabel.equals(versionLabel)
                && Arrays.equals(b.leafPem, leafPem) && Arrays.equals(b.chainPem, chainPem)
                && Arrays.equals(b.keyPem, keyPem);
    }

    @Override
    public int hashCode() { return Objects.hash(certificateId, versionLabel, Arrays.hashCode(leafPem)); }

    @Override
    public String toString() { return "DeployBundle[" + certificateId + " version " + versionLabel + ", key hidden]"; }
}
