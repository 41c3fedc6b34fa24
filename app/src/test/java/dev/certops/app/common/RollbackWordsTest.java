package dev.certops.app.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.app.VisibleText;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollback confirmations say who goes back, what is refused and how to undo it, in words people read. */
class RollbackWordsTest {
    @Test
    void anAbortedRunsRollbackNamesEachCertificateOnItsHost() {
        List<String> targets = List.of("api@web1", "api@web2", "shop@web3");

        String question = RollbackWords.runQuestion(targets);
        String text = RollbackWords.runConfirmation(targets);

        assertThat(question).isEqualTo("Roll back 3 hosts this run deployed to?");
        assertThat(text).contains("api on web1", "api on web2", "shop on web3", "refuses", "To undo, deploy again with Deploy… on the Estate")
                .doesNotContain("@");
        assertThat(VisibleText.broken(question + " " + text)).isEmpty();
    }

    @Test
    void oneHostsRollbackFromTheEstateSaysWhatComesBack() {
        String text = RollbackWords.question("api", "web1") + " " + RollbackWords.confirmation("api", "web1");
        assertThat(text).startsWith("Roll back api on web1?").contains("previous certificate is served again");
        assertThat(VisibleText.broken(text)).isEmpty();
    }
}
