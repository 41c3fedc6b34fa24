package dev.certops.team;

import dev.certops.testing.SshAgentFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.certops.identity.SshSignature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three people for team tests: alice (operator, revoker) and bob (approver, viewer) sign through one
 * real ssh-agent (ed25519 and ECDSA keys), carol (admin) from a key file; mallory's key file is listed nowhere.
 */
public final class TeamWorld implements AutoCloseable {
    public final SshAgentFixture agent;
    public final Path alice;
    public final Path bob;
    public final Path carol;
    public final Path mallory;

    private TeamWorld(SshAgentFixture agent, Path alice, Path bob, Path carol, Path mallory) {
        this.agent = agent;
        this.alice = alice;
        this.bob = bob;
        this.carol = carol;
        this.mallory = mallory;
    }

    public static TeamWorld start(Path dir) throws IOException, InterruptedException {
        SshAgentFixture agent = SshAgentFixture.start(dir.resolve("agent"));
        Path alice = agent.addKey("alice", "ed25519");
        Path bob = agent.addKey("bob", "ecdsa");
        Path carol = SshAgentFixture.newKey(dir, "carol", "ed25519");
        Path mallory = SshAgentFixture.newKey(dir, "mallory", "ed25519");
        return new TeamWorld(agent, alice, bob, carol, mallory);
    }

    /** The allowed_signers text naming the three. */
    public String allowedSigners() throws IOException {
        return "# the team\n"
                + "alice@example.com roles=\"operator,revoker\" " + pub(alice) + "\n"
                + "bob@example.com roles=\"approver,viewer\" " + pub(bob) + "\n"
                + "carol@example.com roles=\"admin\" " + pub(carol) + "\n";
    }

    /** Writes team/allowed_signers into a workspace. */
    public void writeTeam(Path workspace) throws IOException {
        Files.createDirectories(workspace.resolve("team"));
        Files.writeString(workspace.resolve(AllowedSigners.FILE), allowedSigners());
    }

    public static String pub(Path key) throws IOException {
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    /** alice and bob sign through the agent, with their public key named; carol and mallory with their key files. */
    public Map<String, String> as(String who) {
        Map<String, String> env = new HashMap<>(agent.env());
        switch (who) {
            case "alice" -> env.put(Identities.ENV_KEY, alice + ".pub");
            case "bob" -> env.put(Identities.ENV_KEY, bob + ".pub");
            case "carol" -> env.put(Identities.ENV_KEY, carol.toString());
            case "mallory" -> env.put(Identities.ENV_KEY, mallory.toString());
            default -> throw new IllegalArgumentException(who);
        }
        env.put("USER", who);
        return env;
    }

    /**
     * What OpenSSH's {@code ssh-keygen -Y verify} says of {@code signature} (as history stores it) over
     * {@code message}, for {@code principal} against this team's allowed signers: the reference check.
     */
    public String sshKeygenVerify(Path dir, String principal, String signature, String message) throws Exception {
        Files.createDirectories(dir);
        Path allowed = Files.writeString(dir.resolve("allowed"), AllowedSigners.parse(allowedSigners(), "t").forSshKeygen());
        Path sig = Files.writeString(dir.resolve("event.sig"), SshSignature.parse(signature).armored());
        Path msg = Files.writeString(dir.resolve("event.hash"), message);
        return SshAgentFixture.run(List.of("/bin/sh", "-c", "/usr/bin/ssh-keygen -Y verify -f \"$1\" -I \"$2\" -n certops -s \"$3\" < \"$4\"",
                "sh", allowed.toString(), principal, sig.toString(), msg.toString()), Map.of());
    }

    @Override
    public void close() { agent.close(); }
}
