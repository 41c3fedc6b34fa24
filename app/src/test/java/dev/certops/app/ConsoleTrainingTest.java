package dev.certops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's training run (docs/decisions/0017) must close the console by itself once the estate is shown —
 * otherwise ./certops' background training would never end and never write the archive — and leave nothing behind.
 * Runs it in its own JVM on JavaFX's headless platform, as the console tests do.
 */
class ConsoleTrainingTest {

    @Test
    void theTrainingRunOpensTheConsoleOnAThousandCertificatesClosesItselfAndCleansUp(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("console.log");
        Path temp = Files.createDirectory(tmp.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                "-Djava.io.tmpdir=" + temp, "-Duser.home=" + tmp,
                "-cp", System.getProperty("java.class.path"), ConsoleTraining.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CERTOPS_LOG_LEVEL", "info");
        Process p = pb.start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the console closed itself; its log:\n" + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("estate shows " + ConsoleTraining.CERTIFICATES + " certificates", "window shown");
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith("certops-console-training")).map(Path::toString))
                    .as("the training workspace is removed").isEmpty();
        }
    }
}
