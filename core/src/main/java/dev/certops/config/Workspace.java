package dev.certops.config;

import dev.certops.startup.StartupTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * A workspace is a folder: {@code certops.yaml} (text a team keeps in git), {@code history.db}
 * (SQLite), {@code secrets/} (0700; files 0600), {@code certs/} (issued versions) and
 * {@code runbooks/} (team runbooks).
 */
public record Workspace(Path root) {

    public static final String ENV_HOME = "CERTOPS_HOME";
    public static final String ENV_PASSPHRASE = "CERTOPS_PASSPHRASE";

    public Workspace {
        root = root.toAbsolutePath().normalize();
    }

    /** --workspace DIR, else $CERTOPS_HOME, else ~/.certops. */
    public static Workspace locate(Optional<Path> option, Map<String, String> env) {
        if (option.isPresent()) return new Workspace(option.get());
        String home = env.get(ENV_HOME);
        if (home != null && !home.isBlank()) return new Workspace(Path.of(home));
        return new Workspace(Path.of(System.getProperty("user.home"), ".certops"));
    }

    public Path configFile() { return root.resolve("certops.yaml"); }
    public Path historyFile() { return root.resolve("history.db"); }
    public Path secretsDir() { return root.resolve("secrets"); }
    public Path certsDir() { return root.resolve("certs"); }
    public Path runbooksDir() { return root.resolve("runbooks"); }
    public Path stateDir() { return root.resolve("state"); }

    public boolean exists() { return Files.isRegularFile(configFile()); }

    /** Resolves a path from the configuration: relative paths are relative to the workspace. */
    public Path resolve(String configured) {
        Path p = Path.of(configured);
        return p.isAbsolute() ? p : root.resolve(p).normalize();
    }

    /** Loads and validates certops.yaml. */
    public CertopsConfig loadConfig() throws ConfigException {
        try (StartupTrace.Phase p = StartupTrace.phase("certops.yaml read and checked")) {
            return ConfigLoader.load(configFile());
        }
    }

    /**
     * The workspace passphrase for encrypted secrets: $CERTOPS_PASSPHRASE, else the file named by
     * $CERTOPS_PASSPHRASE_FILE, else the systemd credential in $CREDENTIALS_DIRECTORY ({@link Passphrases}).
     */
    public static Optional<char[]> passphrase(Map<String, String> env) {
        return Passphrases.resolve(env);
    }

    /**
     * Creates the folder layout and a commented example certops.yaml. Refuses to overwrite an
     * existing certops.yaml.
     */
    public void create() throws IOException {
        if (exists()) throw new FileAlreadyExistsException(configFile().toString(), null, "a workspace already exists here; nothing was changed");
        Files.createDirectories(root);
        for (Path dir : new Path[] {certsDir(), runbooksDir(), stateDir()}) Files.createDirectories(dir);
        if (!Files.isDirectory(secretsDir())) {
            Files.createDirectories(secretsDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(secretsDir(), PosixFilePermissions.fromString("rwx------"));
        try (InputStream in = Workspace.class.getResourceAsStream("certops.example.yaml")) {
            if (in == null) throw new IOException("example configuration missing from the certops jar");
            Files.write(configFile(), in.readAllBytes());
        }
    }

    @Override
    public String toString() { return root.toString(); }
}
