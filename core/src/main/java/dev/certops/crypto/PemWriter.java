package dev.certops.crypto;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;

/** Writes certificates and private keys as PEM (keys as PKCS#8, encrypted when a passphrase is given). */
public final class PemWriter {
    private PemWriter() { }

    public static String certificates(List<X509Certificate> chain) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (X509Certificate c : chain) w.writeObject(c);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
        return sw.toString();
    }

    public static String certificate(X509Certificate cert) { return certificates(List.of(cert)); }

    /** PKCS#8 PEM; encrypted PKCS#8 (AES-256-CBC, PBKDF2-HMAC-SHA256) when a passphrase is given. */
    public static String privateKey(PrivateKey key, Optional<char[]> passphrase) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            OutputEncryptor enc = null;
            if (passphrase.isPresent()) {
                enc = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(CryptoProvider.ensureRegistered()).setPRF(AlgorithmIdentifier.getInstance(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE)))
                        .setIterationCount(100_000).setRandom(new SecureRandom()).setPassword(passphrase.get()).build();
            }
            w.writeObject(new JcaPKCS8Generator(key, enc));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encode a private key: " + e.getClass().getSimpleName(), e);
        }
        return sw.toString();
    }

}
