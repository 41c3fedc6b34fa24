package dev.certops.deploy;

import dev.certops.config.SafeNames;
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
 * Resolves a stored certificate version into a {@link DeployBundle}. Issued versions live in
 * {@code certs/<id>/<n>/cert.pem, chain.pem, version.json} (version.json is written last; a folder
 * without it counts only when cert.pem and chain.pem are both there) with the key in the secret store as
 * {@code <id>-<n>.key} (decrypted here when the workspace encrypts secrets). Without a version,
 * the highest complete number is taken. Reads files only; knows nothing of ACME.
 */
public final class WorkspaceVersions {
    private final Workspace workspace;
    private final SecretStore secrets;

    public WorkspaceVersions(Workspace workspace, SecretStore secrets) {
        this.workspace = workspace;
        this.secrets = secrets;
    }

    /** Secrets read with $CERTOPS_PASSPHRASE when set. */
    public WorkspaceVersions(Workspace workspace) {
        this(workspace, new SecretStore(workspace.secretsDir(), Workspace.passphrase(System.getenv())));
    }

    public DeployBundle load(String certificateId, Optional<String> version) throws DeployException {
        RemotePaths.requireId("certificate id", certificateId);
        if (version.isPresent() && !version.get().matches("\\d{1,9}")) {
            throw new DeployException(null, "validate", "version '" + SafeNames.printable(version.get()) + "' is not a version number",
                    "give the number of a stored version (certs/" + certificateId + "/<n>)");
        }
        Path dir = workspace.certsDir().resolve(certificateId);
        String v = version.isPresent() ? version.get() : latest(dir).orElseThrow(() -> new DeployException(null, "validate",
                "no stored version of " + certificateId + " under " + dir, "issue it first: ./certops issue " + certificateId));
        Path vdir = dir.resolve(v);
        if (!complete(vdir)) {
            throw new DeployException(null, "validate", certificateId + " version " + v + " is not a complete stored version (" + vdir + ")",
                    "list the stored versions under " + dir);
        }
        String keyName = certificateId + "-" + v + ".key";
        try {
            if (!secrets.exists(keyName)) {
                throw new DeployException(null, "validate", "the private key of " + certificateId + " version " + v + " is missing (secrets/" + keyName + ")",
                        "restore it from backup, or issue a new version");
            }
            byte[] cert = Files.readAllBytes(vdir.resolve(RemotePaths.CERT));
            Path chainFile = vdir.resolve(RemotePaths.CHAIN);
            byte[] chain = Files.readAllBytes(chainFile);
            return new DeployBundle(certificateId, v, cert, chain, secrets.read(keyName));
        } catch (IOException e) {
            throw new DeployException(null, "validate", certificateId + " version " + v + " cannot be read: " + e.getMessage(),
                    "if secrets are encrypted, set CERTOPS_PASSPHRASE; else list the stored versions under " + dir);
        }
    }

    /** version.json is written last by issuance; a folder written by hand needs at least cert.pem and chain.pem (checked before deploy). */
    private static boolean complete(Path vdir) {
        return Files.isRegularFile(vdir.resolve("version.json"))
                || Files.isRegularFile(vdir.resolve(RemotePaths.CERT)) && Files.isRegularFile(vdir.resolve(RemotePaths.CHAIN));
    }

    private static Optional<String> latest(Path dir) throws DeployException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> s = Files.list(dir)) {
            List<String> numbers = s.filter(WorkspaceVersions::complete)
                    .map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,9}")).toList();
            return numbers.stream().max(Comparator.comparingInt(Integer::parseInt));
        } catch (IOException e) {
            throw new DeployException(null, "validate", dir + " cannot be listed: " + e.getMessage(), null);
        }
    }
}
