package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeadlessMainTest {
    @Test
    void noArgumentsOrAWorkspaceAloneIsWhereTheFullPackageOpensTheConsole() {
        assertThat(HeadlessMain.opensConsole(new String[0])).isTrue();
        assertThat(HeadlessMain.opensConsole(new String[] {"--workspace", "/srv/ws"})).isTrue();
        assertThat(HeadlessMain.opensConsole(new String[] {"--workspace=/srv/ws"})).isTrue();
        assertThat(HeadlessMain.opensConsole(new String[] {"status", "--workspace", "/srv/ws"})).isFalse();
        assertThat(HeadlessMain.opensConsole(new String[] {"--version"})).isFalse();
    }

    @Test
    void theRefusalIsOneLineNamingThePackageThatHasTheConsole() {
        assertThat(HeadlessMain.NO_CONSOLE).doesNotContain("\n").contains("install the certops package");
    }
}
