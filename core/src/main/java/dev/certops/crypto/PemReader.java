package dev.certops.crypto;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads PEM certificate chains and private keys (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8 and
 * legacy encrypted PEM). Every problem becomes a {@link CryptoException} naming the source.
 */
public final class PemReader {
    /** What a reader says of a key encrypted with its own passphrase when none was given (the caller adds how to give it). */
    public static final String ENCRYPTED = "is encrypted with its own passphrase, and none was given";
    /** What a reader says when the passphrase given does not decrypt the key. */
    public static final String WRONG_PASSPHRASE = "cannot be decrypted with the passphrase given: the passphrase is wrong";

    private PemReader() { }

    /**
     * True when the PEM text's first block is a private key encrypted with a passphrase: encrypted PKCS#8
     * ({@code ENCRYPTED PRIVATE KEY}) or traditional OpenSSL encryption ({@code Proc-Type: 4,ENCRYPTED}).
     * Text that cannot be parsed is not called encrypted: reading it says what is wrong.
     */
    public static boolean isEncryptedKey(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            return o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static List<X509Certificate> readCertificates(Path file) throws CryptoException {
        return readCertificates(read(file), file.toString());
    }

    public static List<X509Certificate> readCertificates(String pem, String source) throws CryptoException {
        CryptoProvider.ensureRegistered();
        checkText(pem, source, "certificates");
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter().setProvider(CryptoProvider.ensureRegistered());
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = next(p, source, pem)) != null) {
                if (o instanceof X509CertificateHolder h) {
                    out.add(conv.getCertificate(h));
                } else if (isKey(o)) {
                    throw new CryptoException(source, "contains a private key where certificates were expected — give the certificate file (cert.pem / fullchain.pem)");
                } else {
                    throw new CryptoException(source, "contains a " + o.getClass().getSimpleName() + " block where certificates were expected");
                }
            }
        } catch (CertificateException e) {
            throw new CryptoException(source, "a certificate block is not a valid X.509 certificate: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CryptoException(source, "cannot be read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) throw new CryptoException(source, "contains no certificate (no -----BEGIN CERTIFICATE----- block)");
        return List.copyOf(out);
    }

    public static PrivateKey readPrivateKey(Path file, Optional<char[]> passphrase) throws CryptoException {
        return readPrivateKey(read(file), file.toString(), passphrase);
    }

    public static PrivateKey readPrivateKey(String pem, String source, Optional<char[]> passphrase) throws CryptoException {
        // the JDK's providers read plain keys; Bouncy Castle's is registered only to decrypt (below)
        checkText(pem, source, "a private key");
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = next(p, source, pem);
            if (o == null) throw new CryptoException(source, "contains no private key (no -----BEGIN PRIVATE KEY----- block)");
            if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
            if (o instanceof PEMKeyPair kp) return conv.getPrivateKey(kp.getPrivateKeyInfo());
            if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                char[] pass = passphrase.orElseThrow(() -> new CryptoException(source, ENCRYPTED));
                try {
                    return conv.getPrivateKey(enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                            .setProvider(CryptoProvider.ensureRegistered()).build(pass)));
                } catch (OperatorCreationException e) {
                    throw new CryptoException(source, "uses an encryption this installation cannot decrypt: " + e.getMessage(), e);
                } catch (PKCSException | PEMException | RuntimeException e) {
                    // a wrong passphrase fails the padding, or (rarely) decrypts to bytes that are no key: either way, the passphrase
                    throw new CryptoException(source, WRONG_PASSPHRASE);
                }
            }
            if (o instanceof PEMEncryptedKeyPair enc) {
                char[] pass = passphrase.orElseThrow(() -> new CryptoException(source, ENCRYPTED));
                try {
                    return conv.getPrivateKey(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(CryptoProvider.ensureRegistered())
                            .build(pass)).getPrivateKeyInfo());
                } catch (IOException | RuntimeException e) {
                    throw new CryptoException(source, WRONG_PASSPHRASE);
                }
            }
            if (o instanceof X509CertificateHolder) {
                throw new CryptoException(source, "contains a certificate where a private key was expected — give the key file (privkey.pem)");
            }
            throw new CryptoException(source, "contains a " + o.getClass().getSimpleName() + " block, not a private key");
        } catch (PEMException e) {
            throw new CryptoException(source, "the private key is not usable: " + rootMessage(e) + " — supported: RSA and EC keys (PKCS#8, PKCS#1, SEC1)", e);
        } catch (IOException e) {
            throw new CryptoException(source, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Object next(PEMParser p, String source, String pem) throws CryptoException {
        try {
            return p.readObject();
        } catch (IOException e) {
            String m = rootMessage(e).toLowerCase();
            if (m.contains("base64") || m.contains("malformed")) {
                throw new CryptoException(source, "a PEM block is damaged (its base64 does not decode): copy the file again, whole", e);
            }
            Matcher label = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----").matcher(pem);
            List<String> labels = new ArrayList<>();
            while (label.find()) labels.add(label.group(1));
            throw new CryptoException(source, "a PEM block labelled " + String.join(" / ", labels) + " does not hold what its label says ("
                    + rootMessage(e) + "): the label was probably edited, or the content pasted under the wrong one — use the file as "
                    + "exported (CERTIFICATE for certificates; PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY for keys)", e);
        }
    }

    private static void checkText(String pem, String source, String what) throws CryptoException {
        if (pem.isBlank()) throw new CryptoException(source, "is empty: expected " + what + " in PEM format");
        if (!pem.contains("-----BEGIN ")) {
            throw new CryptoException(source, "is not PEM: expected " + what + " between -----BEGIN ...----- and -----END ...----- lines (DER files: convert with openssl)");
        }
        int begins = count(pem, "-----BEGIN ");
        int ends = count(pem, "-----END ");
        if (begins != ends) throw new CryptoException(source, "is truncated: " + begins + " BEGIN line(s) but " + ends + " END line(s)");
        String tail = pem.substring(pem.lastIndexOf("-----END ")).replaceFirst("-----END [^\\n]*-----", "");
        if (!tail.isBlank()) throw new CryptoException(source, "has unexpected text after the last PEM block: remove it");
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    private static boolean isKey(Object o) {
        return o instanceof PrivateKeyInfo || o instanceof PEMKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair;
    }

    private static String read(Path file) throws CryptoException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CryptoException(file.toString(), "does not exist");
        } catch (MalformedInputException e) {
            throw new CryptoException(file.toString(), "is not a text PEM file (binary data): DER files must be converted with `openssl x509 -inform der`");
        } catch (IOException e) {
            throw new CryptoException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
