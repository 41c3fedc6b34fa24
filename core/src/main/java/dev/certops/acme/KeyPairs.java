package dev.certops.acme;

import dev.certops.crypto.CryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPoint;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/** Rebuilds a key pair from a stored private key (the public half is derived, never stored apart). */
final class KeyPairs {
    private KeyPairs() { }

    static KeyPair of(PrivateKey priv) throws GeneralSecurityException {
        if (priv instanceof RSAPrivateCrtKey rsa) {
            return new KeyPair(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())), priv);
        }
        if (priv instanceof ECPrivateKey ec) {
            X9ECParameters curve = namedCurve(priv);
            if (curve != null) {
                // Q = d·G with Bouncy Castle's curve arithmetic, the key itself stays the JDK's: registering the whole
                // provider for this one multiplication cost each issuance ~70 ms and ~570 classes (ADR 0017)
                var q = curve.getG().multiply(ec.getS()).normalize();
                ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
                return new KeyPair(pub, priv);
            }
        }
        // a curve given by explicit parameters rather than by name: Bouncy Castle's provider reads those
        KeyFactory ecBc = KeyFactory.getInstance("EC", CryptoProvider.ensureRegistered());
        var bc = (org.bouncycastle.jce.interfaces.ECPrivateKey) ecBc.generatePrivate(new PKCS8EncodedKeySpec(priv.getEncoded()));
        var q = bc.getParameters().getG().multiply(bc.getD()).normalize();
        return new KeyPair(ecBc.generatePublic(new ECPublicKeySpec(q, bc.getParameters())), priv);
    }

    /** The named curve of an EC private key's PKCS#8 encoding, or null when it names none. */
    private static X9ECParameters namedCurve(PrivateKey priv) {
        try {
            var params = PrivateKeyInfo.getInstance(priv.getEncoded()).getPrivateKeyAlgorithm().getParameters();
            return params instanceof ASN1ObjectIdentifier oid ? ECNamedCurveTable.getByOID(oid) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
