package dev.certops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The build rewrites Bouncy Castle's signed jars without their signatures (app/src/build/UnsignJars.java), so its
 * classes can be in the start-up archive (docs/decisions/0017). The JDK running certops must still take the unsigned
 * provider for its JCE services (ciphers, MACs), which a JDK that checks provider signatures would refuse.
 */
class UnsignedJarsTest {

    @Test
    void bouncyCastleUnsignedKeepsItsClassesAndServesCiphersAndAnUnsignedJarIsLeftAsItIs(@TempDir Path dir) throws Exception {
        Path signed = Path.of(BouncyCastleProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path copy = Files.copy(signed, dir.resolve(signed.getFileName()));
        Path picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path plain = Files.copy(picocli, dir.resolve(picocli.getFileName()));
        byte[] plainBytes = Files.readAllBytes(plain);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("src", "build", "UnsignJars.java").toString(), dir.toString()).inheritIO().start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllBytes(plain)).as("an unsigned jar is left as it is").isEqualTo(plainBytes);

        try (JarFile before = new JarFile(signed.toFile()); JarFile after = new JarFile(copy.toFile())) {
            assertThat(before.stream().anyMatch(e -> e.getName().endsWith(".SF"))).as("the jar from Maven Central is signed").isTrue();
            assertThat(after.stream().map(e -> e.getName()).filter(n -> n.startsWith("META-INF/") && !n.contains("/versions/")))
                    .noneMatch(n -> n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC"));
            assertThat(after.getManifest().getEntries()).as("no per-entry digests left").isEmpty();
            assertThat(after.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(after.stream().filter(e -> e.getName().endsWith(".class")).count())
                    .isEqualTo(before.stream().filter(e -> e.getName().endsWith(".class")).count());
        }

        try (URLClassLoader loader = new URLClassLoader(new URL[] {copy.toUri().toURL()}, null)) {
            Provider unsigned = (Provider) loader.loadClass(BouncyCastleProvider.class.getName()).getConstructor().newInstance();
            assertThat(unsigned.getClass().getProtectionDomain().getCodeSource().getLocation().toURI()).isEqualTo(copy.toUri());
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", unsigned);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new GCMParameterSpec(128, new byte[12]));
            assertThat(cipher.doFinal(new byte[16])).hasSize(32);
            Mac mac = Mac.getInstance("HmacSHA256", unsigned);
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            assertThat(mac.doFinal(new byte[1])).hasSize(32);
        }
    }
}
