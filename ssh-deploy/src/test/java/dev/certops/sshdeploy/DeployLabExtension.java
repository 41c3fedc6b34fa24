package dev.certops.sshdeploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link DeployLab} (sshd, nginx, hosts) shared by the tests of a class: started in a fresh temporary folder
 * before the first test, stopped by its process handles and the folder removed after the last.
 * <pre>{@code
 * @RegisterExtension static final DeployLabExtension LAB = new DeployLabExtension();
 * ... LAB.lab().addHost("web1"); LAB.dir().resolve("apache") ...
 * }</pre>
 */
final class DeployLabExtension implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private DeployLab lab;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("certops-deploy-lab-");
        lab = DeployLab.start(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (lab != null) lab.close();
        } finally {
            if (dir != null) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); // best effort: a file sshd left is tmp's
                }
            }
        }
    }

    /** The started lab (from the class's first test to its last). */
    DeployLab lab() { return lab; }

    /** The temporary folder the lab runs in; tests may put their own servers' folders beside it. */
    Path dir() { return dir; }
}
