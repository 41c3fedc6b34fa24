package dev.certops.app;

import dev.certops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The sandbox of the quick start with its primary CA stopped (the incident the console tests and docs/screenshots show),
 * in a folder named like the quick start's ({@code /tmp/certops-sandbox-…}), so screenshots show that, not a JUnit folder.
 */
public final class IncidentSandbox {
    private IncidentSandbox() { }

    public static Sandbox up() throws Exception {
        Sandbox sandbox = new Sandbox(Files.createTempDirectory("certops-sandbox-"));
        sandbox.up();
        sandbox.breakPrimaryCa();
        return sandbox;
    }

    /** Stops its servers by pid and removes its folder (also what a failed start left behind). */
    public static void down(Sandbox sandbox) throws Exception {
        if (sandbox == null) return;
        if (sandbox.exists()) sandbox.down();
        if (Files.exists(sandbox.dir())) {
            try (var files = Files.walk(sandbox.dir())) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
