package dev.certops.acme;

import dev.certops.config.CaConfig;
import java.net.URI;

/** One ACME directory to talk to: a CA entry, production or staging. */
public record CaEndpoint(CaConfig ca, boolean staging) {

    public String id() { return ca.id(); }

    public URI directory() {
        if (!staging) return ca.directory();
        return ca.staging().orElseThrow(() -> new IllegalStateException("CA '" + ca.id() + "' has no staging: directory in certops.yaml"));
    }

    public boolean hasDirectory() { return !staging || ca.staging().isPresent(); }

    /** "letsencrypt" or "letsencrypt (staging)" for messages. */
    public String label() { return ca.id() + (staging ? " (staging)" : ""); }

    /** The file name stem for account state: "letsencrypt" or "letsencrypt-staging". */
    public String stateName() { return ca.id() + (staging ? "-staging" : ""); }
}
