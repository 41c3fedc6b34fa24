package dev.certops.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;

/** Key generation for every {@code key:} type, key type detection, and key/certificate matching. */
public final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() { }

    public static KeyPair generate(KeyType type) {
        try {
            if (type.algorithm().equals("EC")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(type == KeyType.EC_P256 ? "secp256r1" : "secp384r1"), RANDOM);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(type.bits(), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot generate " + type + " keys", e);
        }
    }

    /** The configured type a public key corresponds to, if any. */
    public static Optional<KeyType> typeOf(PublicKey key) {
        int bits = bits(key);
        for (KeyType t : KeyType.values()) {
            if (t.algorithm().equals(normalize(key.getAlgorithm())) && t.bits() == bits) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** "EC P-256", "RSA 2048", ... for display. */
    public static String describe(PublicKey key) {
        int bits = bits(key);
        return switch (normalize(key.getAlgorithm())) {
            case "EC" -> "EC P-" + bits;
            case "RSA" -> "RSA " + bits;
            default -> key.getAlgorithm() + (bits > 0 ? " " + bits : "");
        };
    }

    public static int bits(PublicKey key) {
        if (key instanceof RSAKey r) return r.getModulus().bitLength();
        if (key instanceof ECKey e) return e.getParams().getCurve().getField().getFieldSize();
        return 0;
    }

    private static String normalize(String algorithm) { return algorithm.equals("ECDSA") ? "EC" : algorithm; }

    public static boolean matches(PrivateKey key, X509Certificate cert) { return matches(key, cert.getPublicKey()); }

    /** A real check: signs a random challenge with the private key and verifies it with the public key. */
    public static boolean matches(PrivateKey key, PublicKey pub) {
        String algorithm = normalize(pub.getAlgorithm());
        if (!normalize(key.getAlgorithm()).equals(algorithm)) return false;
        String alg = switch (algorithm) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) return false;
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
