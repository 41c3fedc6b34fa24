package dev.certops.acme;

import dev.certops.crypto.CryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.spec.ECPublicKeySpec;

/** Rebuilds a key pair from a stored private key (the public half is derived, never stored apart). */
final class KeyPairs {
    private KeyPairs() { }

    static KeyPair of(PrivateKey priv) throws GeneralSecurityException {
        if (priv instanceof RSAPrivateCrtKey rsa) {
            return new KeyPair(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())), priv);
        }
        KeyFactory ec = KeyFactory.getInstance("EC", CryptoProvider.ensureRegistered());
        ECPrivateKey bc = (ECPrivateKey) ec.generatePrivate(new PKCS8EncodedKeySpec(priv.getEncoded()));
        var q = bc.getParameters().getG().multiply(bc.getD()).normalize();
        return new KeyPair(ec.generatePublic(new ECPublicKeySpec(q, bc.getParameters())), priv);
    }
}
