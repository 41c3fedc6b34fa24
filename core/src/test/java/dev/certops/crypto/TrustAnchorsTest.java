package dev.certops.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code trust:} file means Java's trust store plus the file's certificates: one trust manager that asks the file's
 * anchors first and Java's only when those do not vouch for a chain must give the verdict one store of both gives.
 */
class TrustAnchorsTest {
    @TempDir Path dir;
    private final CertificateBuilder.Issued privateCa = CertificateBuilder.ca("Private ACME CA").build();
    private final CertificateBuilder.Issued otherCa = CertificateBuilder.ca("Nobody's CA").build();

    private X509ExtendedTrustManager fileThenJava() throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, PemWriter.certificate(privateCa.certificate()));
        return TrustAnchors.trustManager(pem);
    }

    private static X509Certificate[] chain(CertificateBuilder.Issued leaf, CertificateBuilder.Issued ca) {
        return new X509Certificate[] {leaf.certificate(), ca.certificate()};
    }

    @Test
    void aChainToTheFilesCertificateIsTrustedAsByOneStoreOfBoth() throws Exception {
        var leaf = CertificateBuilder.leaf("acme.internal.example").signedBy(privateCa).build();
        X509ExtendedTrustManager both = TrustAnchors.trustManager(TrustAnchors.keyStore(writePem()));
        both.checkServerTrusted(chain(leaf, privateCa), "ECDHE_ECDSA");
        fileThenJava().checkServerTrusted(chain(leaf, privateCa), "ECDHE_ECDSA");
    }

    @Test
    void aChainToOneOfJavasAnchorsIsTrustedThoughTheFileDoesNotVouchForIt() throws Exception {
        X509Certificate javaRoot = TrustAnchors.javaRoots().get(0);
        fileThenJava().checkServerTrusted(new X509Certificate[] {javaRoot}, "ECDHE_RSA");
    }

    @Test
    void aChainNeitherVouchesForIsRefusedWithWhatBothSaid() throws Exception {
        var leaf = CertificateBuilder.leaf("www.example.com").signedBy(otherCa).build();
        assertThatThrownBy(() -> fileThenJava().checkServerTrusted(chain(leaf, otherCa), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThatThrownBy(() -> TrustAnchors.trustManager(TrustAnchors.keyStore(writePem())).checkServerTrusted(chain(leaf, otherCa), "ECDHE_ECDSA"))
                .as("one store of both refuses it too").isInstanceOf(CertificateException.class);
    }

    @Test
    void theAcceptedIssuersAreTheFilesAndJavas() throws Exception {
        assertThat(fileThenJava().getAcceptedIssuers()).contains(privateCa.certificate()).hasSize(TrustAnchors.javaRoots().size() + 1);
    }

    private Path writePem() throws Exception {
        Path pem = dir.resolve("both.pem");
        Files.writeString(pem, PemWriter.certificate(privateCa.certificate()));
        return pem;
    }
}
