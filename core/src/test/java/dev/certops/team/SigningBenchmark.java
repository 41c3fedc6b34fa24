package dev.certops.team;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.history.EventKinds;
import dev.certops.history.NewEvent;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.identity.KeyFileSigner;
import dev.certops.identity.SigningKey;
import dev.certops.identity.SshAgent;
import dev.certops.identity.SshSignature;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a signature costs per event: 1,000 events appended one by one, each signed over its hash
 * through a real ssh-agent (ed25519) and from a key file, then every signature checked by the audit.
 * Target: signing plus checking at most 5 ms per event.
 * Run: {@code ./mvnw -B -o -Pbench -pl core -am verify -Dtest=SigningBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class SigningBenchmark {
    private static final int EVENTS = 1_000;
    @TempDir Path dir;

    @Test
    void signingAndCheckingCostAtMostFiveMillisecondsPerEvent() throws Exception {
        try (TeamWorld team = TeamWorld.start(dir.resolve("keys")); SshAgent agent = new SshAgent(team.agent.socket())) {
            SigningKey viaAgent = agent.key(agent.keys().get(0));
            SigningKey fromFile = KeyFileSigner.read(team.carol);
            for (SigningKey key : new SigningKey[] {viaAgent, fromFile}) {
                String who = key == viaAgent ? "alice@example.com" : "carol@example.com";
                signAndCheck(key, 200); // warm-up: JIT, the agent's connection
                double[] perEvent = signAndCheck(key, EVENTS);
                Path db = dir.resolve("bench-" + (key == viaAgent ? "agent" : "file") + ".db");
                double plain = appendMillis(db.resolveSibling("plain-" + db.getFileName()), who, null);
                double signed = appendMillis(db, who, key);
                SignatureAudit.Result audit = null;
                double walk = 0;
                for (int round = 0; round < 2; round++) { // the second walk is the warm one
                    long start = System.nanoTime();
                    try (SqliteHistoryStore store = SqliteHistoryStore.open(db, who)) {
                        audit = SignatureAudit.verify(store);
                    }
                    walk = (System.nanoTime() - start) / 1e6 / (EVENTS + 50);
                }
                assertThat(audit.signed()).isEqualTo(EVENTS + 50);
                assertThat(audit.ok()).isTrue();
                System.out.printf("SigningBenchmark (%s): sign %.3f ms/event, check %.3f ms/event, total %.3f ms/event (target <= 5); "
                        + "appending one event at a time (commit each): %.3f ms unsigned, %.3f ms signed; audit verify walk %.3f ms/event%n",
                        key.source(), perEvent[0], perEvent[1], perEvent[0] + perEvent[1], plain, signed, walk);
                assertThat(perEvent[0] + perEvent[1]).isLessThanOrEqualTo(5.0);
            }
        }
    }

    /** Signs {@code n} event hashes, then parses and checks each signature; ms per event for each. */
    private static double[] signAndCheck(SigningKey key, int n) throws Exception {
        String[] hashes = new String[n];
        String[] sigs = new String[n];
        for (int i = 0; i < n; i++) hashes[i] = String.format("%064x", i * 7919L + 1);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) sigs[i] = SshSignature.sign(key, hashes[i].getBytes(US_ASCII)).base64();
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) assertThat(SshSignature.parse(sigs[i]).verifies(hashes[i].getBytes(US_ASCII))).isTrue();
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e6 / n, (t2 - t1) / 1e6 / n};
    }

    private static double appendMillis(Path db, String actor, SigningKey key) throws Exception {
        try (SqliteHistoryStore store = SqliteHistoryStore.open(db, actor)) {
            if (key != null) store.signWith(hash -> SshSignature.sign(key, hash.getBytes(US_ASCII)).base64());
            for (int i = 0; i < 50; i++) store.append(new NewEvent("bench.warmup", "x", "ok", Map.of())); // JIT, connection
            long start = System.nanoTime();
            for (int i = 0; i < EVENTS; i++) {
                store.append(new NewEvent(EventKinds.DEPLOY_STEP, "cert-" + (i % 50), "ok", Map.of("host", "web" + (i % 20), "step", "swap")));
            }
            return (System.nanoTime() - start) / 1e6 / EVENTS;
        }
    }
}
