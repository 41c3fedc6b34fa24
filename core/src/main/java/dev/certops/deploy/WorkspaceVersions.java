package dev.certops.deploy;

import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resolves a stored certificate version into a {@link DeployBundle}: the ACME helper stores
 * {@code certs/<id>/<n>/cert.pem, chain.pem, fullchain.pem} and the key as {@code secrets/<id>-<n>.key}.
 * Without a version, the highest number is taken.
 */
public final class WorkspaceVersions {
    private final Workspace workspace;
    private final SecretStore secrets;

    /** Reads keys unencrypted; use {@link #WorkspaceVersions(Workspace, SecretStore)} when a passphrase is set. */
    public WorkspaceVersions(Workspace workspace) { this(workspace, new SecretStore(workspace.secretsDir(), Optional.empty())); }

    /** Reads the key through the same store ACME wrote it with, so encrypted keys are decrypted. */
    public WorkspaceVersions(Workspace workspace, SecretStore secrets) {
        this.workspace = workspace;
        this.secrets = secrets;
    }

    public DeployBundle load(String certificateId, Optional<String> version) throws DeployException {
        RemotePaths.requireId("certificate id", certificateId);
        if (version.isPresent()) RemotePaths.requireId("version", version.get());
        Path dir = workspace.certsDir().resolve(certificateId);
        String v = version.isPresent() ? version.get() : latest(dir).orElseThrow(() -> new DeployException(null, "validate",
                "no stored version of " + certificateId + " under " + dir, "issue it first: ./certops issue " + certificateId));
        Path vdir = dir.resolve(v);
        Path key = workspace.secretsDir().resolve(certificateId + "-" + v + ".key");
        try {
            byte[] cert = Files.readAllBytes(vdir.resolve(RemotePaths.CERT));
            Path chainFile = vdir.resolve(RemotePaths.CHAIN);
            byte[] chain = Files.isRegularFile(chainFile) ? Files.readAllBytes(chainFile) : new byte[0];
            if (!secrets.exists(certificateId + "-" + v + ".key")) {
                throw new DeployException(null, "validate", "the private key of " + certificateId + " version " + v + " is missing (" + key + ")",
                        "restore it from backup, or issue a new version");
            }
            return new DeployBundle(certificateId, v, cert, chain, secrets.read(certificateId + "-" + v + ".key"));
        } catch (IOException e) {
            throw new DeployException(null, "validate", certificateId + " version " + v + " cannot be read: " + e.getMessage(),
                    "list the stored versions under " + dir);
        }
    }

    private static Optional<String> latest(Path dir) throws DeployException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> s = Files.list(dir)) {
            List<String> numbers = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}")).toList();
            return numbers.stream().max(Comparator.comparingInt(Integer::parseInt));
        } catch (IOException e) {
            throw new DeployException(null, "validate", dir + " cannot be listed: " + e.getMessage(), null);
        }
    }
}
