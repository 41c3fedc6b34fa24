package dev.certops.acme;

import java.util.Optional;

/**
 * What to issue: a configured certificate, from its CAs in order (or only {@code ca}), production
 * or staging. {@code replaces} is the ARI id of the certificate being renewed — sent only to the CA
 * that issued it, never after failing over to another.
 */
public record IssueRequest(String certificateId, Optional<String> ca, boolean staging, Optional<Replaces> replaces, boolean budgetOverride) {

    /** The certificate being replaced: its ARI certID and the CA that issued it. */
    public record Replaces(String ariId, String ca) { }

    public static IssueRequest of(String certificateId) {
        return new IssueRequest(certificateId, Optional.empty(), false, Optional.empty(), false);
    }

    public IssueRequest onlyFrom(String caId) { return new IssueRequest(certificateId, Optional.of(caId), staging, replaces, budgetOverride); }
    public IssueRequest staging(boolean s) { return new IssueRequest(certificateId, ca, s, replaces, budgetOverride); }
    public IssueRequest replacing(Replaces r) { return new IssueRequest(certificateId, ca, staging, Optional.of(r), budgetOverride); }
}
