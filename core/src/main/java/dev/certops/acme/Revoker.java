package dev.certops.acme;

import dev.certops.config.CaConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import dev.certops.words.Causes;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Revokes a stored version at the CA that issued it: with the account key, or — for key-compromise —
 * with the certificate's own key (proof that the key is out), and with the account key when the CA
 * refuses that (RFC 8555 §7.6 allows both). Recorded as {@code acme.certificate.revoked}, with
 * {@code signedBy} naming the key the CA accepted ({@code certificate} or {@code account}).
 */
final class Revoker {
    private final CertopsConfig config;
    private final Workspace workspace;
    private final SecretStore secrets;
    private final HistoryStore history;

    Revoker(CertopsConfig config, Workspace workspace, SecretStore secrets, HistoryStore history) {
        this.config = config;
        this.workspace = workspace;
        this.secrets = secrets;
        this.history = history;
    }

    CertificateVersions.Version revoke(String certificateId, Optional<Integer> version, IssuanceService.RevocationReason reason) throws Exception {
        CertificateVersions store = new CertificateVersions(workspace, secrets);
        CertificateVersions.Version v = IssuanceService.storedVersion(store, certificateId, version);
        CaConfig caCfg = config.ca(v.ca()).orElseThrow(() -> new IllegalArgumentException("version " + v.number() + " of '" + certificateId
                + "' was issued by CA '" + v.ca() + "', which is no longer in certops.yaml: add it back to revoke"));
        CaEndpoint ca = new CaEndpoint(caCfg, v.staging());
        X509Certificate leaf = store.leaf(v);
        history.checkWritable();
        history.appendIntent(new NewEvent(EventKinds.ACME_INTENT, certificateId, "intent", Map.of("step", "revoke", "ca", ca.id(),
                "staging", ca.staging(), "serial", v.serial(), "version", v.number(), "reason", reason.cliName())));
        Session acme = AcmeSessions.open(ca, workspace);
        String signedBy = "account";
        Optional<String> certificateKeyRefused = Optional.empty();
        if (reason == IssuanceService.RevocationReason.KEY_COMPROMISE) {
            try {
                Certificate.revoke(acme, KeyPairs.of(secrets.readPrivateKey(v.keyRef())), leaf, reason.acme());
                signedBy = "certificate";
            } catch (AcmeServerException e) {
                // RFC 8555 §7.6: the account that ordered it may revoke too; a CA refusing the certificate's key gets that
                if (!refusal(e)) throw e;
                certificateKeyRefused = Optional.of(Causes.clean(e.getMessage()));
                revokeWithAccount(ca, acme, leaf, reason);
            }
        } else {
            revokeWithAccount(ca, acme, leaf, reason);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("signedBy", signedBy);
        certificateKeyRefused.ifPresent(r -> d.put("certificateKeyRefused", r));
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("serial", v.serial());
        d.put("version", v.number());
        d.put("reason", reason.cliName());
        history.append(new NewEvent(EventKinds.ACME_REVOKED, certificateId, "ok", d));
        return v;
    }

    private void revokeWithAccount(CaEndpoint ca, Session acme, X509Certificate leaf, IssuanceService.RevocationReason reason)
            throws Exception {
        Login login = new Accounts(workspace, secrets, history).login(ca, acme);
        Certificate.revoke(login, leaf, reason.acme());
    }

    /** The CA answered and said no (unauthorized, malformed, ...): not down, not already revoked. */
    private static boolean refusal(AcmeServerException e) {
        String type = e.getProblem().getType().toString();
        return !type.endsWith(":alreadyRevoked") && !type.endsWith(":serverInternal") && !type.endsWith(":badNonce")
                && !type.endsWith(":rateLimited");
    }
}
