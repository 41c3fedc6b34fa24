package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.CaConfig;
import dev.certops.config.Workspace;
import dev.certops.testing.FreePort;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which session opened ahead an attempt may take: once, for its own CA endpoint, while it is fresh. */
class SessionsAheadTest {
    @TempDir Path dir;
    private final AtomicLong now = new AtomicLong();
    private final SessionsAhead aheads = new SessionsAhead(now::get);

    /** A CA whose directory nobody answers (the session ahead meets a refused connection, harmlessly). */
    private static CaConfig ca(String id, Optional<URI> staging) throws Exception {
        URI closed = URI.create("https://127.0.0.1:" + FreePort.tcp() + "/dir");
        return new CaConfig(id, closed, staging, Optional.empty(), Optional.empty(), true, Optional.empty(), "none", Map.of(), Optional.empty());
    }

    @Test
    void theFirstAttemptAtTheCaTakesTheSessionOpenedAheadAndNoOtherDoes() throws Exception {
        CaConfig primary = ca("primary", Optional.empty());
        aheads.open(primary, false, new Workspace(dir));
        assertThat(aheads.take(new CaEndpoint(ca("secondary", Optional.empty()), false))).as("another CA").isNull();
        assertThat(aheads.take(new CaEndpoint(primary, true))).as("the same CA's staging endpoint").isNull();
        assertThat(aheads.take(new CaEndpoint(primary, false))).isNotNull();
        assertThat(aheads.take(new CaEndpoint(primary, false))).as("taken once; a retry opens its own").isNull();
    }

    @Test
    void aSessionOpenedEarlyIsTakenOverOnlyForTheSameDirectoryTrustStagingAndWorkspace() throws Exception {
        CaConfig primary = ca("primary", Optional.of(URI.create("https://127.0.0.1:" + FreePort.tcp() + "/staging-dir")));
        CaConfig moved = new CaConfig(primary.id(), URI.create("https://127.0.0.1:" + FreePort.tcp() + "/dir"), primary.staging(), primary.trust(),
                primary.contact(), primary.agreeToTerms(), primary.eab(), primary.limits(), primary.limitOverrides(), primary.caaIdentity());
        CaConfig trusting = new CaConfig(primary.id(), primary.directory(), primary.staging(), Optional.of("ca.pem"), primary.contact(),
                primary.agreeToTerms(), primary.eab(), primary.limits(), primary.limitOverrides(), primary.caaIdentity());
        record Case(String why, CaConfig ca, boolean staging, Path workspace) { }
        for (Case c : List.of(new Case("another workspace", primary, false, dir.resolve("elsewhere")),
                new Case("the staging endpoint", primary, true, dir),
                new Case("certops.yaml changed: the CA's directory moved", moved, false, dir),
                new Case("certops.yaml changed: the CA's TLS trusts a file now", trusting, false, dir))) {
            SessionsAhead.forgetEarly();
            SessionsAhead.openEarly(primary, false, new Workspace(dir));
            SessionAhead early = SessionsAhead.peekEarly(new CaEndpoint(primary, false));
            SessionsAhead command = new SessionsAhead(now::get);
            command.open(c.ca(), c.staging(), new Workspace(c.workspace()));
            assertThat(command.take(new CaEndpoint(c.ca(), c.staging()))).as(c.why()).isNotNull().isNotSameAs(early);
        }
        // certops.yaml read again, the same entry: the same session, whichever object holds it
        CaConfig reread = new CaConfig(primary.id(), primary.directory(), primary.staging(), primary.trust(), primary.contact(),
                primary.agreeToTerms(), primary.eab(), primary.limits(), primary.limitOverrides(), primary.caaIdentity());
        SessionsAhead.forgetEarly();
        SessionsAhead.openEarly(primary, false, new Workspace(dir));
        SessionAhead early = SessionsAhead.peekEarly(new CaEndpoint(primary, false));
        SessionsAhead command = new SessionsAhead(now::get);
        command.open(reread, false, new Workspace(dir));
        assertThat(command.take(new CaEndpoint(reread, false))).isSameAs(early);
    }

    @Test
    void aHeadStartLaterThanTheCommandOpensNoSecondSession() throws Exception {
        SessionsAhead.forgetEarly();
        CaConfig primary = ca("primary", Optional.empty());
        SessionsAhead command = new SessionsAhead(now::get);
        command.open(primary, false, new Workspace(dir));   // the command got there first (a hinted session, or none)
        SessionsAhead.openEarly(primary, false, new Workspace(dir));
        assertThat(SessionsAhead.earlyCount()).isZero();
    }

    @Test
    void theCommandsOwnOpenTakesOverTheSessionOpenedEarly() throws Exception {
        SessionsAhead.forgetEarly();
        CaConfig primary = ca("primary", Optional.empty());
        SessionsAhead.openEarly(primary, false, new Workspace(dir));
        SessionsAhead.openEarly(primary, false, new Workspace(dir)); // once per CA endpoint
        SessionAhead early = SessionsAhead.peekEarly(new CaEndpoint(primary, false));
        aheads.open(primary, false, new Workspace(dir));
        assertThat(aheads.take(new CaEndpoint(primary, false))).isSameAs(early);
        assertThat(SessionsAhead.earlyCount()).isZero();
    }

    @Test
    void aCaWithoutAStagingDirectoryGetsNoStagingSessionAhead() throws Exception {
        CaConfig noStaging = ca("primary", Optional.empty());
        aheads.open(noStaging, true, new Workspace(dir));
        assertThat(aheads.take(new CaEndpoint(noStaging, true))).isNull();
    }

    @Test
    void aSessionOpenedAheadThatNobodyTookForAMinuteIsNotUsed() throws Exception {
        CaConfig primary = ca("primary", Optional.empty());
        aheads.open(primary, false, new Workspace(dir));
        now.addAndGet(SessionsAhead.FRESH_FOR.plus(Duration.ofSeconds(1)).toNanos());
        assertThat(aheads.take(new CaEndpoint(primary, false))).as("what it met is no longer news").isNull();
    }

    @Test
    void openingAgainWhileFreshKeepsTheFirstAndOpeningAfterItGoesStaleStartsANewOne() throws Exception {
        CaConfig primary = ca("primary", Optional.empty());
        aheads.open(primary, false, new Workspace(dir));
        aheads.open(primary, false, new Workspace(dir));
        SessionAhead first = aheads.take(new CaEndpoint(primary, false));
        assertThat(first).isNotNull();
        aheads.open(primary, false, new Workspace(dir));
        now.addAndGet(SessionsAhead.FRESH_FOR.plus(Duration.ofSeconds(1)).toNanos());
        aheads.open(primary, false, new Workspace(dir));
        SessionAhead renewed = aheads.take(new CaEndpoint(primary, false));
        assertThat(renewed).isNotNull().isNotSameAs(first);
    }
}
