package dev.certops.acme;

import dev.certops.config.Workspace;
import java.io.IOException;
import org.shredzone.acme4j.Session;

/** An acme4j session for one CA endpoint, trusting the CA entry's {@code trust:} anchor for this CA's connections only. */
final class AcmeSessions {
    private AcmeSessions() { }

    static Session open(CaEndpoint ca, Workspace workspace) throws IOException {
        var provider = TrustingAcmeProvider.forTrust(ca.ca().trust().map(workspace::resolve).orElse(null));
        return new Session(ca.directory(), provider);
    }
}
