package dev.certops.team;

import dev.certops.identity.IdentityException;
import dev.certops.identity.KeyFileSigner;
import dev.certops.identity.SigningKey;
import dev.certops.identity.SshAgent;
import dev.certops.identity.SshPublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the key this person signs with: {@code $CERTOPS_SIGNING_KEY} names a private key file (used
 * directly) or a public key ({@code .pub}: that key in ssh-agent); without it, the first key in
 * ssh-agent that team/allowed_signers lists, else the agent's first key (so the refusal can name it).
 */
public final class Identities {
    public static final String ENV_KEY = "CERTOPS_SIGNING_KEY";

    private Identities() { }

    public static SigningKey resolve(Map<String, String> env, Optional<AllowedSigners> listed) throws IdentityException {
        String configured = env.get(ENV_KEY);
        Optional<SshAgent> agent = SshAgent.fromEnv(env);
        if (configured != null && !configured.isBlank()) {
            Path file = Path.of(configured);
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new IdentityException("$" + ENV_KEY + " names " + file + ", which cannot be read (" + e.getMessage() + ")");
            }
            if (text.contains("PRIVATE KEY-----")) return KeyFileSigner.read(file);
            SshPublicKey wanted = SshPublicKey.parse(text);
            if (agent.isEmpty()) {
                throw new IdentityException("$" + ENV_KEY + " names the public key " + file + " but no ssh-agent is running "
                        + "($SSH_AUTH_SOCK is not set): start one and ssh-add the key, or point " + ENV_KEY + " at the private key file");
            }
            if (!agent.get().keys().contains(wanted)) {
                throw new IdentityException("ssh-agent does not hold " + wanted + " (named by $" + ENV_KEY + "): ssh-add it");
            }
            return agent.get().key(wanted);
        }
        if (agent.isEmpty()) {
            throw new IdentityException("no signing key: start ssh-agent and add your key (eval $(ssh-agent); ssh-add ~/.ssh/id_ed25519), "
                    + "or set $" + ENV_KEY + " to your private key file");
        }
        List<SshPublicKey> keys = agent.get().keys();
        if (keys.isEmpty()) {
            throw new IdentityException("ssh-agent holds no ed25519, ECDSA or RSA key: add yours with ssh-add (ssh-add -l lists them)");
        }
        SshPublicKey chosen = keys.stream().filter(k -> listed.map(l -> l.find(k).isPresent()).orElse(false)).findFirst()
                .orElse(keys.get(0));
        return agent.get().key(chosen);
    }
}
