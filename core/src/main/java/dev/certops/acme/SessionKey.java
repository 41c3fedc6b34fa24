package dev.certops.acme;

import dev.certops.config.Workspace;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What an ACME session depends on: the directory it reads and the {@code trust:} file its TLS trusts (none: Java's
 * roots), with the CA's id and endpoint name for messages and state. Two keys that are equal open the same session, so
 * a session opened ahead from one may serve the other ({@link SessionsAhead}).
 *
 * @param trust the resolved {@code trust:} file, or null
 */
record SessionKey(String caId, String stateName, URI directory, Path trust) {
    SessionKey {
        Objects.requireNonNull(caId, "caId");
        Objects.requireNonNull(stateName, "stateName");
        Objects.requireNonNull(directory, "directory");
    }

    /** The key of a CA entry's endpoint in a workspace (its trust file resolved against the workspace). */
    static SessionKey of(CaEndpoint ca, Workspace workspace) {
        return new SessionKey(ca.id(), ca.stateName(), ca.directory(), ca.ca().trust().map(workspace::resolve).orElse(null));
    }

    // written out: a record's generated equals runs through invokedynamic, ~30 ms the first time in a fresh JVM
    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKey k && caId.equals(k.caId) && stateName.equals(k.stateName) && directory.equals(k.directory)
                && Objects.equals(trust, k.trust);
    }

    @Override
    public int hashCode() {
        return ((caId.hashCode() * 31 + stateName.hashCode()) * 31 + directory.hashCode()) * 31 + Objects.hashCode(trust);
    }
}
