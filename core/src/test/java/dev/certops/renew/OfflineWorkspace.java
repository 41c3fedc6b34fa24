package dev.certops.renew;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.SecretStore;
import dev.certops.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A workspace whose certificates were issued here (stored versions) and are deployed nowhere, with a
 * CA whose directory is a closed port: renew decides from the stored versions alone.
 */
final class OfflineWorkspace {
    private OfflineWorkspace() { }

    /** {@code count} certificates c0…, each with 80 of 90 days left, except the first {@code due} (10 days left). */
    static Workspace create(Path root, int count, int due) throws Exception {
        return create(root, count, due, "\"https://127.0.0.1:" + FreePort.tcp() + "/dir\"");
    }

    /** The same with the CA at {@code directoryYaml} (e.g. a real Pebble: {@code "URL", trust: PATH}). */
    static Workspace create(Path root, int count, int due, String directoryYaml) throws Exception {
        Workspace ws = new Workspace(root);
        ws.create();
        StringBuilder y = new StringBuilder("cas:\n  - { id: primary, directory: " + directoryYaml
                + ", agreeToTerms: true, limits: letsencrypt }\ncertificates:\n");
        for (int i = 0; i < count; i++) y.append("  - { id: c").append(i).append(", names: [c").append(i).append(".example.test] }\n");
        Files.writeString(ws.configFile(), y.toString());
        var ca = CertificateBuilder.ca("Offline CA").build();
        CertificateVersions versions = new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.empty()));
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            Instant nb = now.minus(Duration.ofDays(i < due ? 80 : 10));
            var leaf = CertificateBuilder.leaf("c" + i + ".example.test").key(KeyType.EC_P256).validity(nb, nb.plus(Duration.ofDays(90)))
                    .signedBy(ca).build();
            versions.store("c" + i, List.of(leaf.certificate(), ca.certificate()), leaf.keys().getPrivate(), "primary", false, now);
        }
        return ws;
    }
}
