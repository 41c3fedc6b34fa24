package dev.certops.ratelimit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate about to be ordered, as the budget sees it.
 *
 * @param certificateId the certificate's id in certops.yaml
 * @param ca            the CA id
 * @param staging       true for the CA's staging endpoint
 * @param account       the ACME account URL ("" when not registered yet)
 * @param names         the identifiers (wildcards and IDNs allowed)
 * @param replaces      the ARI cert id (or serial) of the certificate this one replaces, when renewing through ARI
 */
public record CertificateRequest(String certificateId, String ca, boolean staging, String account,
                                 List<String> names, Optional<String> replaces) {
    public CertificateRequest {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(ca, "ca");
        account = account == null ? "" : account;
        names = List.copyOf(names);
        replaces = replaces == null ? Optional.empty() : replaces;
    }

    public static CertificateRequest of(String certificateId, String ca, String account, List<String> names) {
        return new CertificateRequest(certificateId, ca, false, account, names, Optional.empty());
    }
}
