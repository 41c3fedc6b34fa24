package dev.certops.crypto;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * A chain as served or stored, judged: leaf first after ordering, whether it was out of order,
 * whether an intermediate is missing (and whose), and the problems in words.
 */
public record ChainReport(X509Certificate leaf, List<X509Certificate> ordered, boolean wrongOrder,
                          Optional<String> missingIssuer, List<String> problems) {
    public ChainReport {
        ordered = List.copyOf(ordered);
        problems = List.copyOf(problems);
    }

    /** Complete: in order, nothing missing, links verify. */
    public boolean complete() { return problems.isEmpty(); }

    public boolean missingIntermediate() { return missingIssuer.isPresent(); }
}
