package dev.certops.app;

import dev.certops.app.common.StartupTiming;
import dev.certops.config.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The console's training run (docs/decisions/0017): ./certops and the packaging start it on a private X server
 * (Xvfb) in a JVM that writes the console's start-up archive when it exits. It opens the console on a throwaway
 * workspace of 1,000 certificates — what an operator's start loads: JavaFX, the shell, every screen, the estate
 * table filled — and closes it once the window has drawn its first frame and the estate is shown.
 */
public final class ConsoleTraining {
    /** Certificates in the training workspace. */
    static final int CERTIFICATES = 1_000;

    private ConsoleTraining() { }

    public static void main(String[] args) throws IOException {
        Path temp = Files.createTempDirectory("certops-console-training");
        try {
            Workspace ws = new Workspace(temp.resolve("workspace"));
            ws.create();
            Files.writeString(ws.configFile(), config(CERTIFICATES));
            System.setProperty(StartupTiming.EXIT_WHEN_SHOWN, "true");
            Launcher.main(new String[] {"--workspace", ws.root().toString()});
        } finally {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.exit(0);
    }

    /** A certops.yaml with {@code n} certificates and nothing to reach. */
    static String config(int n) {
        StringBuilder b = new StringBuilder("certificates:\n");
        for (int i = 0; i < n; i++) b.append("  - { id: cert-").append(i).append(", names: [cert-").append(i).append(".example.test] }\n");
        return b.toString();
    }
}
