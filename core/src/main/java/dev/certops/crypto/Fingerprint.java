package dev.certops.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The SHA-256 fingerprint of a certificate's DER encoding, lower-case hex without colons. */
public record Fingerprint(String hex) {

    public static Fingerprint of(X509Certificate cert) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    /** The first 16 hex digits, for tables. */
    public String shortForm() { return hex.substring(0, Math.min(16, hex.length())); }

    @Override
    public String toString() { return hex; }
}
