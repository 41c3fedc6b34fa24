package dev.certops.operations;

import dev.certops.acme.CertificateVersions;
import dev.certops.acme.IssuanceService.RevocationReason;
import dev.certops.config.CertificateConfig;

/**
 * One revocation, decided before it runs: the stored version (its serial, the CA that issued it) and
 * the reason. The gate shows {@link #summary()}; the revocation executes this object.
 */
public record RevokePlan(CertificateConfig certificate, CertificateVersions.Version version, RevocationReason reason) {

    public String certificateId() { return certificate.id(); }

    public String summary() {
        return certificate.id() + ": revoke version " + version.number() + " (serial " + version.serial() + ") at CA '" + version.ca() + "'"
                + (version.staging() ? " (staging)" : "") + ", reason " + reason.cliName();
    }
}
