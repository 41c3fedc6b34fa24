package dev.certops.imports;

import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One certificate version brought in from elsewhere: its chain (leaf first) and its private key,
 * checked to belong together when read, and where it came from (for people and history).
 */
public record ImportedVersion(List<X509Certificate> chain, PrivateKey key, String from) {
    public X509Certificate leaf() { return chain.get(0); }

    /**
     * Reads a full chain and a key (PEM text) and proves the key signs for the leaf's public key.
     * Malformed PEM or a key that does not match is a {@link CryptoException} naming the file and what to do.
     */
    public static ImportedVersion read(String fullchainPem, String chainSource, String keyPem, String keySource) throws CryptoException {
        return read(fullchainPem, chainSource, keyPem, keySource, Optional.empty());
    }

    /** The same with the key's own passphrase, for a key encrypted with one (encrypted PKCS#8 or traditional encrypted PEM). */
    public static ImportedVersion read(String fullchainPem, String chainSource, String keyPem, String keySource, Optional<char[]> keyPassphrase)
            throws CryptoException {
        List<X509Certificate> chain = PemReader.readCertificates(fullchainPem, chainSource);
        PrivateKey key = PemReader.readPrivateKey(keyPem, keySource, keyPassphrase);
        if (!matches(key, chain.get(0))) {
            throw new CryptoException(keySource, "is not the key of the certificate in " + chainSource + " (serial " + chain.get(0).getSerialNumber().toString(16)
                    + ") — give the private key that was generated with this certificate's request");
        }
        return new ImportedVersion(chain, key, chainSource);
    }

    /** True when a signature made with {@code key} verifies with the certificate's public key. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null || !key.getAlgorithm().replace("ECDSA", "EC").equals(cert.getPublicKey().getAlgorithm().replace("ECDSA", "EC"))) return false;
        try {
            byte[] probe = "certops import: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException | SignatureException e) {
            return false;
        }
    }
}
