package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CaConfig;
import dev.certops.config.CertopsConfig;
import dev.certops.config.ConfigLoader;
import dev.certops.config.Workspace;
import dev.certops.testing.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session a certificate's last issuance opened first, opened by the next command before certops.yaml is read: only
 * while certops.yaml is unchanged, only for the CA and staging typed, and taken over only for the same directory and trust.
 */
class SessionHintsTest {
    @TempDir Path dir;
    private Workspace ws;
    private CaConfig primary;

    @BeforeEach
    void workspace() throws Exception {
        SessionsAhead.forgetEarly();
        ws = new Workspace(dir);
        Files.createDirectories(ws.stateDir());
        Files.writeString(dir.resolve("ca.pem"), "");
        // nobody answers these directories: a session opened ahead meets a refused connection, harmlessly
        Files.writeString(ws.configFile(), """
                cas:
                  - { id: primary, directory: "https://127.0.0.1:%d/dir", trust: ca.pem, agreeToTerms: true }
                  - { id: other, directory: "https://127.0.0.1:%d/dir", agreeToTerms: true }
                """.formatted(FreePort.tcp(), FreePort.tcp()));
        primary = config().ca("primary").orElseThrow();
    }

    private CertopsConfig config() throws Exception {
        return ConfigLoader.parse(ws.configFile(), Files.readString(ws.configFile()));
    }

    @Test
    void theNextIssueOpensTheSessionBeforeCertopsYamlIsReadAndTheCommandTakesItOver() throws Exception {
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        assertThat(Files.readString(SessionHints.file(ws))).contains("www\tprimary\tfalse\t" + primary.directory() + "\t" + dir.resolve("ca.pem"));

        SessionHints.openEarly(ws, List.of("www", "unknown"), Optional.empty(), false);
        assertThat(SessionsAhead.earlyCount()).isEqualTo(1);
        SessionAhead hinted = SessionsAhead.peekEarly(new CaEndpoint(primary, false));
        // certops.yaml read: the head start asks for the same session again, and keeps the one it has
        SessionsAhead.openEarly(config().ca("primary").orElseThrow(), false, ws);
        assertThat(SessionsAhead.peekEarly(new CaEndpoint(primary, false))).isSameAs(hinted);

        SessionsAhead command = new SessionsAhead();
        command.open(config().ca("primary").orElseThrow(), false, new Workspace(dir));
        assertThat(command.take(new CaEndpoint(primary, false))).isSameAs(hinted);
    }

    @Test
    void aChangedCertopsYamlIsNotGuessedFrom() throws Exception {
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        Files.writeString(ws.configFile(), Files.readString(ws.configFile()) + "# edited\n");
        SessionHints.openEarly(ws, List.of("www"), Optional.empty(), false);
        assertThat(SessionsAhead.earlyCount()).as("no CA a changed file may no longer name is contacted").isZero();
    }

    @Test
    void onlyTheCaAndTheStagingChoiceTypedAreOpened() throws Exception {
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        SessionHints.openEarly(ws, List.of("www"), Optional.of("other"), false);
        SessionHints.openEarly(ws, List.of("www"), Optional.empty(), true);
        SessionHints.openEarly(ws, List.of("api"), Optional.empty(), false);
        assertThat(SessionsAhead.earlyCount()).isZero();
        SessionHints.openEarly(ws, List.of("www"), Optional.of("primary"), false);
        assertThat(SessionsAhead.earlyCount()).isEqualTo(1);
    }

    @Test
    void aSessionHintedForAnotherDirectoryIsReplacedAndNeverTaken() throws Exception {
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        SessionHints.openEarly(ws, List.of("www"), Optional.empty(), false);
        SessionAhead hinted = SessionsAhead.peekEarly(new CaEndpoint(primary, false));
        CaConfig moved = new CaConfig(primary.id(), java.net.URI.create("https://127.0.0.1:" + FreePort.tcp() + "/moved"), primary.staging(),
                primary.trust(), primary.contact(), primary.agreeToTerms(), primary.eab(), primary.limits(), primary.limitOverrides(),
                primary.caaIdentity());
        SessionsAhead command = new SessionsAhead();
        command.open(moved, false, ws);
        assertThat(command.take(new CaEndpoint(moved, false))).isNotNull().isNotSameAs(hinted);

        SessionsAhead.forgetEarly();
        SessionHints.openEarly(ws, List.of("www"), Optional.empty(), false);
        SessionsAhead.openEarly(moved, false, ws);   // the head start read certops.yaml: another directory for the same CA
        assertThat(SessionsAhead.peekEarly(new CaEndpoint(moved, false))).isNotSameAs(hinted);
    }

    @Test
    void aHintIsRewrittenOnlyWhenItChangesAndAFieldWithALineBreakIsNeverWritten() throws Exception {
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        SessionHints.remember(ws, "api", new CaEndpoint(primary, false));
        String both = Files.readString(SessionHints.file(ws));
        assertThat(both.lines()).hasSize(3);
        long modified = Files.getLastModifiedTime(SessionHints.file(ws)).toMillis();
        Files.setLastModifiedTime(SessionHints.file(ws), java.nio.file.attribute.FileTime.fromMillis(modified - 10_000));
        SessionHints.remember(ws, "www", new CaEndpoint(primary, false));
        assertThat(Files.getLastModifiedTime(SessionHints.file(ws)).toMillis()).as("unchanged: not rewritten").isEqualTo(modified - 10_000);

        SessionHints.remember(ws, "bad\nid", new CaEndpoint(primary, false));
        assertThat(Files.readString(SessionHints.file(ws))).isEqualTo(both);
        assertThat(SessionHints.read(ws)).containsOnlyKeys("www", "api");
    }
}
