package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The order an issuance is working on, written as soon as the CA created it: after a crash the
 * next attempt re-attaches to it instead of ordering again (every new order costs budget).
 * {@code state/acme/orders/<certificate>.json}: ca, staging, orderUrl, the secret holding its key.
 */
final class PendingOrders {
    private final Path dir;

    /** An order in progress. */
    record Pending(String ca, boolean staging, String orderUrl, String keyRef, Optional<String> replaces) { }

    PendingOrders(Workspace workspace) { this.dir = workspace.stateDir().resolve("acme").resolve("orders"); }

    Optional<Pending> get(String certificateId) throws IOException {
        Path f = dir.resolve(certificateId + ".json");
        if (!Files.isRegularFile(f)) return Optional.empty();
        Json.Flat n = Json.flat(Files.readString(f));
        return Optional.of(new Pending(n.text("ca", ""), n.bool("staging"), n.text("orderUrl", ""), n.text("keyRef", ""), n.text("replaces")));
    }

    void put(String certificateId, Pending p) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(certificateId + ".json.tmp");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ca", p.ca());
        m.put("staging", p.staging());
        m.put("orderUrl", p.orderUrl());
        m.put("keyRef", p.keyRef());
        p.replaces().ifPresent(r -> m.put("replaces", r));
        Files.writeString(tmp, Json.plain(m));
        Files.move(tmp, dir.resolve(certificateId + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void remove(String certificateId) throws IOException {
        Files.deleteIfExists(dir.resolve(certificateId + ".json"));
    }
}
