package dev.certops.acme;

import dev.certops.acme.dns.PropagationChecker;
import org.jose4j.jwa.AlgorithmFactoryFactory;

/**
 * What an issuance's first ACME request and first DNS-01 check run cold, prepared ahead on a head start's thread
 * (docs/decisions/0017): each step only loads and initialises a library's tables, talks to nobody and writes nothing.
 */
public final class ColdStart {
    private ColdStart() { }

    /**
     * acme4j signs every request with jose4j, whose algorithm registry probes the JCA for each JWS and JWE algorithm
     * once per process (~40 ms, on the main thread at the first signed request otherwise).
     */
    public static void signing() {
        AlgorithmFactoryFactory.getInstance();
    }

    /** dnsjava's names, records and wire format, as the DNS-01 propagation check first uses them. */
    public static void dns01() throws Exception {
        PropagationChecker.prepare();
    }
}
