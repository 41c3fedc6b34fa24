package dev.certops.acme;

import dev.certops.config.Workspace;
import java.io.IOException;
import org.shredzone.acme4j.Session;

/** An acme4j session for one CA endpoint, trusting the CA entry's {@code trust:} anchor for this CA's connections only. */
final class AcmeSessions {
    private AcmeSessions() { }

    /** @throws AcmeConfigProblem when the CA entry's {@code trust:} file cannot be used: a configuration problem, not an outage */
    static Session open(CaEndpoint ca, Workspace workspace) throws AcmeConfigProblem {
        try {
            var provider = TrustingAcmeProvider.forTrust(ca.ca().trust().map(workspace::resolve).orElse(null));
            return new Session(ca.directory(), provider);
        } catch (IOException e) {
            throw new AcmeConfigProblem("CA '" + ca.id() + "': " + e.getMessage() + " — point trust: in certops.yaml at a readable PEM file "
                    + "of the CA's root certificate (or remove it for a publicly trusted CA), then retry");
        }
    }
}
