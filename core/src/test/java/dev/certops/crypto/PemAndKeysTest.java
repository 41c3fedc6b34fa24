package dev.certops.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemAndKeysTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyKeyTypeRoundTripsThroughPlainAndEncryptedPemAndMatchesItsCertificate(KeyType type) throws Exception {
        CertificateBuilder.Issued cert = CertificateBuilder.leaf("api.example.com").key(type).build();
        String plain = PemWriter.privateKey(cert.keys().getPrivate(), Optional.empty());
        String encrypted = PemWriter.privateKey(cert.keys().getPrivate(), Optional.of("s3cret".toCharArray()));
        assertThat(plain).contains("BEGIN PRIVATE KEY");
        assertThat(encrypted).contains("BEGIN ENCRYPTED PRIVATE KEY");
        PrivateKey a = PemReader.readPrivateKey(plain, "plain", Optional.empty());
        PrivateKey b = PemReader.readPrivateKey(encrypted, "encrypted", Optional.of("s3cret".toCharArray()));
        assertThat(Keys.matches(a, cert.certificate())).isTrue();
        assertThat(Keys.matches(b, cert.certificate())).isTrue();
        assertThat(Keys.typeOf(cert.certificate().getPublicKey())).contains(type);
        List<java.security.cert.X509Certificate> back = PemReader.readCertificates(PemWriter.certificate(cert.certificate()), "cert");
        assertThat(Fingerprint.of(back.get(0))).isEqualTo(Fingerprint.of(cert.certificate()));
    }

    @Test
    void aKeyThatBelongsToAnotherCertificateDoesNotMatch() {
        CertificateBuilder.Issued one = CertificateBuilder.leaf("a.example.com").build();
        CertificateBuilder.Issued two = CertificateBuilder.leaf("a.example.com").build();
        assertThat(Keys.matches(one.keys().getPrivate(), two.certificate())).isFalse();
        CertificateBuilder.Issued rsa = CertificateBuilder.leaf("a.example.com").key(KeyType.RSA_2048).build();
        assertThat(Keys.matches(one.keys().getPrivate(), rsa.certificate())).isFalse();
    }

    @Test
    void traditionalPkcs1AndSec1KeysAsOpensslWritesThemAreRead() throws Exception {
        for (List<String> cmd : List.of(List.of("openssl", "genrsa", "-traditional", "2048"),
                List.of("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout"))) {
            Process p = new ProcessBuilder(cmd).start();
            String pem = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(p.waitFor()).isZero();
            assertThat(pem).containsAnyOf("BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY");
            PrivateKey key = PemReader.readPrivateKey(pem, "traditional.pem", Optional.empty());
            assertThat(Keys.typeOf(Keys.generate(KeyType.EC_P256).getPublic())).isPresent();
            assertThat(key.getAlgorithm()).isIn("RSA", "EC", "ECDSA");
        }
    }

    @Test
    void wrongOrMissingPassphraseIsSaidPlainly() {
        String enc = PemWriter.privateKey(Keys.generate(KeyType.EC_P256).getPrivate(), Optional.of("right".toCharArray()));
        assertThatThrownBy(() -> PemReader.readPrivateKey(enc, "privkey.pem", Optional.of("wrong".toCharArray())))
                .isInstanceOf(CryptoException.class).hasMessage("privkey.pem: cannot be decrypted with the passphrase given: the passphrase is wrong");
        assertThatThrownBy(() -> PemReader.readPrivateKey(enc, "privkey.pem", Optional.empty()))
                .hasMessage("privkey.pem: is encrypted with its own passphrase, and none was given");
    }

    @Test
    void eachMalformedPemCaseGetsItsOwnMessageNamingTheFile() throws Exception {
        String cert = PemWriter.certificate(CertificateBuilder.leaf("a.example.com").build().certificate());
        String key = PemWriter.privateKey(Keys.generate(KeyType.EC_P256).getPrivate(), Optional.empty());
        expectCert("", "cert.pem: is empty");
        expectCert("hello world\n", "cert.pem: is not PEM");
        expectCert(key, "contains a private key where certificates were expected");
        expectCert(cert.substring(0, cert.length() / 2), "is truncated");
        expectCert(cert.replace("MI", "M!"), "damaged");
        expectCert(cert + "garbage after the end\n", "unexpected text after the last PEM block");
        expectCert("-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n", "cert.pem: ");
        assertThatThrownBy(() -> PemReader.readPrivateKey(cert, "privkey.pem", Optional.empty()))
                .hasMessageContaining("contains a certificate where a private key was expected");
        assertThatThrownBy(() -> PemReader.readCertificates(dir.resolve("missing.pem"))).hasMessageEndingWith("does not exist");
        Path binary = dir.resolve("der.cer");
        Files.write(binary, CertificateBuilder.leaf("a.example.com").build().certificate().getEncoded());
        assertThatThrownBy(() -> PemReader.readCertificates(binary)).hasMessageContaining(binary.toString());
    }

    private static void expectCert(String pem, String message) {
        assertThatThrownBy(() -> PemReader.readCertificates(pem, "cert.pem")).isInstanceOf(CryptoException.class).hasMessageContaining(message);
    }

    @Test
    void csrCarriesEveryNameAndVerifiesWithItsKey() throws Exception {
        KeyPair kp = Keys.generate(KeyType.EC_P384);
        var req = new org.bouncycastle.pkcs.PKCS10CertificationRequest(Csr.create(kp, List.of("a.example.com", "*.b.example.com")));
        assertThat(req.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().build(kp.getPublic()))).isTrue();
        assertThat(req.toString()).isNotEmpty();
        var ext = req.getRequestedExtensions();
        var sans = org.bouncycastle.asn1.x509.GeneralNames.fromExtensions(ext, org.bouncycastle.asn1.x509.Extension.subjectAlternativeName);
        assertThat(sans.getNames()).extracting(n -> n.getName().toString()).containsExactly("a.example.com", "*.b.example.com");
    }
}
