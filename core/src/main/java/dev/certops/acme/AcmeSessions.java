package dev.certops.acme;

import dev.certops.config.Workspace;
import java.io.IOException;
import org.shredzone.acme4j.Session;

/** An acme4j session for one CA endpoint, trusting the CA entry's {@code trust:} anchor for this CA's connections only. */
final class AcmeSessions {
    private AcmeSessions() { }

    /** @throws AcmeConfigProblem when the CA entry's {@code trust:} file cannot be used: a configuration problem, not an outage */
    static Session open(CaEndpoint ca, Workspace workspace) throws AcmeConfigProblem {
        return open(SessionKey.of(ca, workspace));
    }

    /** A session for what it depends on: the directory and the trust file (its CA's id for messages). */
    static Session open(SessionKey key) throws AcmeConfigProblem {
        try {
            var provider = TrustingAcmeProvider.forTrust(key.trust());
            return new Session(key.directory(), provider);
        } catch (IOException e) {
            throw new AcmeConfigProblem("CA '" + key.caId() + "': " + e.getMessage() + " — point trust: in certops.yaml at a readable PEM file "
                    + "of the CA's root certificate (or remove it for a publicly trusted CA), then retry");
        }
    }
}
