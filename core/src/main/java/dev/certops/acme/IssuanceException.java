package dev.certops.acme;

import java.util.List;

/**
 * No CA issued. The message lists every CA tried and why, so the operator knows what to do next.
 */
public class IssuanceException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<AcmeFailure> failures;

    public IssuanceException(String certificateId, List<AcmeFailure> failures) {
        super(summary(certificateId, failures));
        this.failures = List.copyOf(failures);
    }

    public List<AcmeFailure> failures() { return failures; }

    private static String summary(String id, List<AcmeFailure> failures) {
        StringBuilder b = new StringBuilder("no CA issued '" + id + "':");
        for (AcmeFailure f : failures) {
            b.append("\n  - ").append(f.ca()).append(": ").append(f.message());
        }
        if (failures.isEmpty()) b.append(" no CA is configured for it (cas: in certops.yaml)");
        b.append("\nNext: ").append(next(id, failures));
        return b.toString();
    }

    private static String next(String id, List<AcmeFailure> failures) {
        if (failures.stream().anyMatch(f -> f instanceof AcmeFailure.ValidationFailed)) {
            return "fix what the CA saw (DNS record, webroot, firewall), then `certops runbook run renewal-failing --param certificate=" + id + "`";
        }
        if (failures.stream().anyMatch(f -> f instanceof AcmeFailure.Misconfigured m && m.untrustedTls())) {
            return "add the CA certificate named above with trust: in that CA's entry of certops.yaml, then issue again; the served certificate is untouched";
        }
        if (failures.stream().anyMatch(f -> f instanceof AcmeFailure.Misconfigured m && m.wrongTlsName())) {
            return "correct that CA's directory URL in certops.yaml to a name its TLS certificate is for, then issue again; the served certificate is untouched";
        }
        if (failures.stream().allMatch(f -> f instanceof AcmeFailure.CaUnavailable)) {
            return "every CA is unreachable: check this machine's network, then retry; the served certificate is untouched";
        }
        return "read each CA's reason above; the served certificate is untouched";
    }
}
