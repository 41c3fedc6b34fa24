package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPairsTest {

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void derivesTheSamePublicKeyTheGeneratorMadeForANamedCurve(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        KeyPair made = g.generateKeyPair();
        // as a stored key comes back: decoded from its PKCS#8 bytes
        var stored = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(made.getPrivate().getEncoded()));

        KeyPair rebuilt = KeyPairs.of(stored);

        assertThat(rebuilt.getPublic().getEncoded()).isEqualTo(made.getPublic().getEncoded());
        byte[] data = "certops".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(rebuilt.getPrivate());
        sign.update(data);
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(rebuilt.getPublic());
        verify.update(data);
        assertThat(verify.verify(sign.sign())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {2048})
    void derivesTheRsaPublicKeyFromThePrivateKey(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        KeyPair made = g.generateKeyPair();
        var stored = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(made.getPrivate().getEncoded()));

        assertThat(KeyPairs.of(stored).getPublic().getEncoded()).isEqualTo(made.getPublic().getEncoded());
    }
}
