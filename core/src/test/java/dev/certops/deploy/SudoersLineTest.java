package dev.certops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How configured commands run as root on a sudo host, and the sudoers line certops asks for. */
class SudoersLineTest {
    @Test
    void aPlainCommandRunsUnderSudoAsItIs() {
        assertThat(SudoersLine.asRoot("apache2ctl configtest")).isEqualTo("sudo -n apache2ctl configtest");
        assertThat(SudoersLine.programsOf("/usr/sbin/nginx -t -c /etc/nginx/nginx.conf")).containsExactly("/usr/sbin/nginx");
    }

    @Test
    void aLineWithShellSyntaxRunsAsOneQuotedShellUnderSudo() {
        String line = "haproxy -D -p /run/h.pid -f /etc/h.cfg -sf $(cat /run/h.pid)";
        assertThat(SudoersLine.asRoot(line)).isEqualTo("sudo -n sh -c 'haproxy -D -p /run/h.pid -f /etc/h.cfg -sf $(cat /run/h.pid)'");
        assertThat(SudoersLine.programsOf(line)).containsExactly("sh");
        assertThat(SudoersLine.asRoot("echo 'it''s'; true")).isEqualTo("sudo -n sh -c 'echo '\\''it'\\'''\\''s'\\''; true'");
    }

    @Test
    void sudoAskingForAPasswordOrRefusingTheCommandIsRecognised() {
        assertThat(SudoersLine.refused("sudo: a password is required")).isTrue();
        assertThat(SudoersLine.refused("Sorry, user deploy is not allowed to execute '/usr/bin/mv x y' as root on web1.\nsudo: ...")).isTrue();
        assertThat(SudoersLine.refused("mv: cannot stat 'x': No such file or directory")).isFalse();
    }

    @Test
    void theLineListsEachProgramOnce() {
        assertThat(SudoersLine.line("deploy", List.of("/usr/bin/mkdir", "/usr/bin/mv", "/usr/bin/mkdir", "/usr/bin/systemctl")))
                .isEqualTo("deploy ALL=(root) NOPASSWD: /usr/bin/mkdir, /usr/bin/mv, /usr/bin/systemctl");
    }
}
