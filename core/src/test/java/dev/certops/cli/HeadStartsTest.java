package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadStartsTest {
    @Test
    void commandsThatTalkToACaGetTheIssuanceHeadStart() {
        for (String[] args : new String[][] {{"issue", "web"}, {"issue", "a", "b", "--workspace", "/ws"}, {"--workspace", "/ws", "renew"},
                {"revoke", "web", "--reason", "keyCompromise"}, {"runbook", "run", "mass-revocation"}, {"drill", "run"}}) {
            assertThat(HeadStarts.choose(args)).as(String.join(" ", args)).contains(HeadStarts.Kind.ISSUANCE);
        }
    }

    @Test
    void helpVersionAndCommandsThatDoNoSuchWorkGetNone() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-V"}, {"issue", "--help"}, {"renew", "-h"}, {"config", "check"},
                {"history"}, {"hosts", "trust", "web1"}, {"--unknown"}, {"isue", "web"}}) {
            assertThat(HeadStarts.choose(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
