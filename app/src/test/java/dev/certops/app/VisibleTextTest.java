package dev.certops.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The visible-text walk's rules catch each kind of internal text and pass what an operator should read. */
class VisibleTextTest {
    @Test
    void eachKindOfInternalTextIsCaught() {
        assertThat(VisibleText.broken("challenge: Optional[dns-01]")).containsExactly("a Java Optional");
        assertThat(VisibleText.broken("host=Optional.empty")).contains("a Java Optional");
        assertThat(VisibleText.broken("RunbookException: no step")).containsExactly("an exception's name");
        assertThat(VisibleText.broken("unreachable: ConnectException")).containsExactly("an exception's name");
        assertThat(VisibleText.broken("ChallengeConfig[type=DNS_01, dns=lab]")).containsExactly("a record's toString (= inside [...])");
        assertThat(VisibleText.broken("at 2026-12-06T10:42:38.123456789Z")).containsExactly("a timestamp with sub-second digits");
        assertThat(VisibleText.broken("needs --param certificate=api")).containsExactly("command-line syntax");
        assertThat(VisibleText.broken("run with --yes")).containsExactly("command-line syntax");
        assertThat(VisibleText.broken("run `certops deploy api`")).containsExactly("command-line syntax");
        assertThat(VisibleText.broken("./certops status")).containsExactly("command-line syntax");
        assertThat(VisibleText.broken("failed: dev.certops.deploy.DeployException")).contains("a Java class name");
        assertThat(VisibleText.broken("at java.base/java.net.Socket")).containsExactly("a Java class name");
        assertThat(VisibleText.broken("handler dev.certops.app.Foo$$Lambda/0x1")).contains("a Java class name");
        assertThat(VisibleText.broken("HostKeyInfo@1b2c3d4e")).containsExactly("an object's default toString");
    }

    @Test
    void sentencesForPeoplePass() {
        assertThat(VisibleText.broken("The primary CA is down since 10:42:38: connection refused at 127.0.0.1:15288.")).isEmpty();
        assertThat(VisibleText.broken("api version 3, issued by secondary — goes live [web1, web2] wave by wave")).isEmpty();
        assertThat(VisibleText.broken("Revoke api? This cannot be undone.")).isEmpty();
        assertThat(VisibleText.broken("Valid 2026-12-06 10:43:11 UTC → 2031-12-06 10:43:11 UTC")).isEmpty();
        assertThat(VisibleText.broken("alice@ops-laptop · deploy")).isEmpty();
        assertThat(VisibleText.broken("mail to ops@example.org, served by api.example.com")).isEmpty();
    }
}
