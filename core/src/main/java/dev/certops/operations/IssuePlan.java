package dev.certops.operations;

import dev.certops.acme.FailoverPolicy;
import dev.certops.acme.IssueRequest;
import dev.certops.config.CaConfig;
import dev.certops.config.CertificateConfig;
import java.util.List;

/**
 * One issuance, decided before it runs: the certificate and its names, the CAs it will try in order
 * (only one when the request names a CA), production or staging, a new key or the stored one, and the
 * failover policy. The gate shows {@link #summary()}; the issuance executes this object.
 */
public record IssuePlan(CertificateConfig certificate, IssueRequest request, List<CaConfig> cas, FailoverPolicy policy, boolean freshKey) {

    public IssuePlan {
        cas = List.copyOf(cas);
    }

    public String certificateId() { return certificate.id(); }

    /** The CA tried first. */
    public CaConfig firstCa() { return cas.get(0); }

    /** One line: what is ordered from whom, with which key. */
    public String summary() {
        return certificate.id() + ": order " + String.join(", ", certificate.names()) + " from " + (cas.size() == 1 ? "CA '" + cas.get(0).id() + "'"
                : "CAs " + String.join(" then ", cas.stream().map(c -> "'" + c.id() + "'").toList())) + (request.staging() ? " (staging)" : "")
                + " (" + certificate.key() + (freshKey || !certificate.reuseKey() ? ", new key" : ", same key") + ")";
    }
}
