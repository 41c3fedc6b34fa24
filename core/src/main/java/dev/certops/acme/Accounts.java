package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.Keys;
import dev.certops.crypto.SecretStore;
import dev.certops.history.EventKinds;
import dev.certops.history.HistoryException;
import dev.certops.history.HistoryStore;
import dev.certops.history.NewEvent;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * One ACME account per CA endpoint: its key in {@code secrets/acme/<ca>.key} (0600, encrypted with
 * the workspace passphrase), its URL in {@code state/acme/<ca>.account}, so it is re-bound, never
 * registered twice. Terms must be accepted in the configuration; EAB credentials come from secrets.
 */
final class Accounts {
    private final Workspace workspace;
    private final SecretStore secrets;
    private final HistoryStore history;

    Accounts(Workspace workspace, SecretStore secrets, HistoryStore history) {
        this.workspace = workspace;
        this.secrets = secrets;
        this.history = history;
    }

    /** One lock per account file, so concurrent first issuances register one account with one key, not several. */
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    Login login(CaEndpoint ca, Session session) throws AcmeException, IOException, AcmeConfigProblem {
        Path lockKey = workspace.stateDir().resolve("acme").resolve(ca.stateName()).toAbsolutePath().normalize();
        synchronized (LOCKS.computeIfAbsent(lockKey, k -> new Object())) {
            return loginLocked(ca, session);
        }
    }

    private Login loginLocked(CaEndpoint ca, Session session) throws AcmeException, IOException, AcmeConfigProblem {
        KeyPair keys = key(ca);
        Path urlFile = workspace.stateDir().resolve("acme").resolve(ca.stateName() + ".account");
        if (Files.isRegularFile(urlFile)) {
            return session.login(URI.create(Files.readString(urlFile).strip()).toURL(), keys);
        }
        if (!ca.ca().agreeToTerms()) {
            String terms = session.getMetadata().getTermsOfService().map(URI::toString).orElse("the CA's website");
            throw new AcmeConfigProblem("CA '" + ca.id() + "' requires accepting its terms of service: read " + terms
                    + ", then set agreeToTerms: true for it in certops.yaml");
        }
        AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(keys);
        ca.ca().contact().ifPresent(b::addContact);
        if (ca.ca().eab().isPresent()) {
            var eab = ca.ca().eab().get();
            String name = eab.hmac().name().orElseThrow();
            if (!secrets.exists(name)) {
                throw new AcmeConfigProblem("CA '" + ca.id() + "' needs External Account Binding: put the HMAC key the CA gave you into secrets/" + name + " (mode 0600)");
            }
            b.withKeyIdentifier(eab.kid(), new String(secrets.read(name), StandardCharsets.US_ASCII).strip());
        } else if (session.getMetadata().isExternalAccountRequired()) {
            throw new AcmeConfigProblem("CA '" + ca.id() + "' requires External Account Binding: add eab: { kid: ..., hmac: \"secret:NAME\" } to it in certops.yaml");
        }
        Login login = b.createLogin(session);
        URL url = login.getAccountLocation();
        Files.createDirectories(urlFile.getParent());
        Files.writeString(urlFile, url.toString() + "\n");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ca", ca.id());
        d.put("staging", ca.staging());
        d.put("account", url.toString());
        try {
            history.append(new NewEvent(EventKinds.ACME_ACCOUNT_CREATED, ca.id(), "ok", d));
        } catch (HistoryException e) {
            throw new IOException("the account was created but history could not record it: " + e.getMessage(), e);
        }
        return login;
    }

    /** True when the CA says the account this login uses does not exist (a CA that lost its state, a deactivated account). */
    static boolean unknownAccount(Exception e) {
        return e instanceof AcmeServerException s
                && s.getProblem().getType().toString().equals("urn:ietf:params:acme:error:accountDoesNotExist");
    }

    /** Forgets the stored account URL (the key stays), so the next login registers again. */
    void forget(CaEndpoint ca) throws IOException {
        Files.deleteIfExists(workspace.stateDir().resolve("acme").resolve(ca.stateName() + ".account"));
    }

    /** The account URL, when an account exists. */
    String accountUrl(CaEndpoint ca) {
        Path urlFile = workspace.stateDir().resolve("acme").resolve(ca.stateName() + ".account");
        try {
            return Files.isRegularFile(urlFile) ? Files.readString(urlFile).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private KeyPair key(CaEndpoint ca) throws IOException, AcmeConfigProblem {
        String name = "acme/" + ca.stateName() + ".key";
        try {
            if (secrets.exists(name)) return KeyPairs.of(secrets.readPrivateKey(name));
        } catch (CryptoException | GeneralSecurityException e) {
            throw new AcmeConfigProblem("the account key for CA '" + ca.id() + "' (secrets/" + name + ") cannot be used: " + e.getMessage()
                    + " — restore it from backup; deleting it registers a new account");
        }
        KeyPair kp = Keys.generate(KeyType.EC_P256);
        secrets.writePrivateKey(name, kp.getPrivate());
        return kp;
    }
}
