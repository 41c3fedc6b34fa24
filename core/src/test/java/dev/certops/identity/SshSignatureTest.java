package dev.certops.identity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.testing.SshAgentFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSHSIG signatures made through a real ssh-agent and from key files, checked by ssh-keygen -Y verify. */
class SshSignatureTest {
    @TempDir static Path dir;
    static SshAgentFixture agentProcess;
    static Path alice;
    static Path bob;

    @BeforeAll
    static void start() throws Exception {
        agentProcess = SshAgentFixture.start(dir.resolve("agent"));
        alice = agentProcess.addKey("alice", "ed25519");
        bob = agentProcess.addKey("bob", "ecdsa");
    }

    @AfterAll
    static void stop() { agentProcess.close(); }

    private static String sshKeygenVerify(String principal, SshPublicKey key, SshSignature sig, byte[] message) throws Exception {
        Path allowed = dir.resolve("allowed-" + System.nanoTime());
        Files.writeString(allowed, principal + " " + key.openSsh() + "\n");
        Path sigFile = Files.writeString(dir.resolve("sig-" + System.nanoTime()), sig.armored());
        Path msg = Files.write(dir.resolve("msg-" + System.nanoTime()), message);
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "/usr/bin/ssh-keygen -Y verify -f \"$1\" -I \"$2\" -n certops -s \"$3\" < \"$4\"",
                "sh", allowed.toString(), principal, sigFile.toString(), msg.toString()));
        return SshAgentFixture.run(cmd, Map.of());
    }

    @Test
    void agentKeysAreListedWithTheirSsh_keygenFingerprints() throws Exception {
        try (SshAgent agent = new SshAgent(agentProcess.socket())) {
            List<SshPublicKey> keys = agent.keys();
            assertThat(keys).extracting(SshPublicKey::type).containsExactly("ssh-ed25519", "ecdsa-sha2-nistp256");
            String fp = SshAgentFixture.run(List.of("/usr/bin/ssh-keygen", "-l", "-E", "sha256", "-f", alice + ".pub"), Map.of());
            assertThat(fp).contains(keys.get(0).fingerprint());
            assertThat(keys.get(0)).isEqualTo(SshPublicKey.parse(Files.readString(Path.of(alice + ".pub"))));
        }
    }

    @Test
    void ed25519AndEcdsaSignaturesThroughTheAgentVerifyWithSsh_keygen() throws Exception {
        byte[] message = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".getBytes(UTF_8);
        try (SshAgent agent = new SshAgent(agentProcess.socket())) {
            for (SshPublicKey key : agent.keys()) {
                SshSignature sig = SshSignature.sign(agent.key(key), message);
                assertThat(sig.verifies(message)).isTrue();
                assertThat(SshSignature.parse(sig.base64()).verifies(message)).isTrue();
                assertThat(sshKeygenVerify(key.comment() + "@example.com", key, sig, message)).contains("Good \"certops\" signature");
            }
        }
    }

    @Test
    void ed25519AndRsaKeyFileSignaturesVerifyWithSsh_keygen() throws Exception {
        byte[] message = "event hash".getBytes(UTF_8);
        for (String type : List.of("ed25519", "rsa")) {
            KeyFileSigner signer = KeyFileSigner.read(SshAgentFixture.newKey(dir, "carol-" + type, type));
            SshSignature sig = SshSignature.sign(signer, message);
            assertThat(sig.verifies(message)).isTrue();
            assertThat(sshKeygenVerify("carol@example.com", signer.publicKey(), sig, message)).contains("Good \"certops\" signature");
        }
    }

    @Test
    void aSignatureMadeBySsh_keygenVerifiesHere() throws Exception {
        Path msg = Files.writeString(dir.resolve("m.txt"), "made by ssh-keygen");
        SshAgentFixture.run(List.of("/usr/bin/ssh-keygen", "-Y", "sign", "-f", alice.toString(), "-n", "certops", msg.toString()), Map.of());
        SshSignature sig = SshSignature.parse(Files.readString(Path.of(msg + ".sig")));
        assertThat(sig.key()).isEqualTo(SshPublicKey.parse(Files.readString(Path.of(alice + ".pub"))));
        assertThat(sig.verifies("made by ssh-keygen".getBytes(UTF_8))).isTrue();
        assertThat(sig.verifies("something else".getBytes(UTF_8))).isFalse();
    }

    @Test
    void aSignatureInAnotherNamespaceDoesNotVerify() throws Exception {
        Path msg = Files.writeString(dir.resolve("git.txt"), "commit");
        SshAgentFixture.run(List.of("/usr/bin/ssh-keygen", "-Y", "sign", "-f", alice.toString(), "-n", "git", msg.toString()), Map.of());
        SshSignature sig = SshSignature.parse(Files.readString(Path.of(msg + ".sig")));
        assertThat(sig.namespace()).isEqualTo("git");
        assertThat(sig.verifies("commit".getBytes(UTF_8))).isFalse();
    }

    @Test
    void aKeyFileWithAPassphraseIsRefusedSayingToUseTheAgent() throws Exception {
        Path key = dir.resolve("locked");
        SshAgentFixture.run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "secret pass", "-f", key.toString()), Map.of());
        assertThatThrownBy(() -> KeyFileSigner.read(key)).isInstanceOf(IdentityException.class)
                .hasMessageContaining("protected by a passphrase").hasMessageContaining("ssh-add " + key);
    }

    @Test
    void anAgentThatIsNotRunningIsNamedWithWhatToDo() {
        try (SshAgent agent = new SshAgent(dir.resolve("no-agent.sock"))) {
            assertThatThrownBy(agent::keys).isInstanceOf(IdentityException.class).hasMessageContaining("did not answer")
                    .hasMessageContaining("ssh-add");
        }
    }

}
