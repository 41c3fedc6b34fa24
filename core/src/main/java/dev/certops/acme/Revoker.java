package dev.certops.acme;

import dev.certops.config.CaConfig;
import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.session.Session;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;

/**
 * Revokes a stored version at the CA that issued it: with the account key, or — for key-compromise —
 * with the certificate's own key (proof that the key is out). Recorded as {@code acme.certificate.revoked}.
 */
final class Revoker {
    private final Session session;

    Revoker(Session session) { this.session = session; }

    CertificateVersions.Version revoke(String certificateId, Optional<Integer> version, IssuanceService.RevocationReason reason) throws Exception {
        CertificateVersions store = new CertificateVersions(session.workspace(), session.secrets());
        CertificateVersions.Version v = (version.isPresent() ? store.read(certificateId, version.get()) : store.latest(certificateId))
                .orElseThrow(() -> new IllegalArgumentException("no stored version" + version.map(n -> " " + n).orElse("") + " of '" + certificateId
                        + "' — `certops history --subject " + certificateId + "` shows what was issued"));
        CaConfig caCfg = session.config().ca(v.ca()).orElseThrow(() -> new IllegalArgumentException("version " + v.number() + " of '" + certificateId
                + "' was issued by CA '" + v.ca() + "', which is no longer in certops.yaml: add it back to revoke"));
        CaEndpoint ca = new CaEndpoint(caCfg, v.staging());
        X509Certificate leaf = store.leaf(v);
        session.history().checkWritable();
        session.history().appendIntent(new NewEvent(EventKinds.ACME_INTENT, certificateId, "intent", Map.of("step", "revoke", "ca", ca.id(),
                "staging", ca.staging(), "serial", v.serial(), "version", v.number(), "reason", reason.cliName())));
        org.shredzone.acme4j.Session acme = AcmeSessions.open(ca, session.workspace());
        if (reason == IssuanceService.RevocationReason.KEY_COMPROMISE) {
            Certificate.revoke(acme, KeyPairs.of(session.secrets().readPrivateKey(v.keyRef())), leaf, reason.acme());
        } else {
            Login login = new Accounts(session.workspace(), session.secrets(), session.history()).login(ca, acme);
            Certificate.revoke(login, leaf, reason.acme());
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("serial", v.serial());
        d.put("version", v.number());
        d.put("reason", reason.cliName());
        session.history().append(new NewEvent(EventKinds.ACME_REVOKED, certificateId, "ok", d));
        return v;
    }
}
