package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleUnitsTest {

    private static ScheduleUnits units(Path dir) throws Exception {
        Path launcher = dir.resolve("bin/certops");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        launcher.toFile().setExecutable(true);
        return new ScheduleUnits(launcher, dir.resolve("ws"), dir.resolve("prom/certops.prom"));
    }

    /** A strict INI reader: every line is blank, a comment, a [Section] or Key=Value inside a section. */
    private static Map<String, String> parse(String ini) {
        Map<String, String> out = new LinkedHashMap<>();
        String section = null;
        for (String line : ini.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            if (line.matches("\\[[A-Za-z]+]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            assertThat(section).as("key outside a section: " + line).isNotNull();
            assertThat(line).as("not Key=Value: " + line).matches("[A-Za-z]+=.+");
            int eq = line.indexOf('=');
            out.put(section + "." + line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    @Test
    void timerRunsHourlyRandomizedAndCatchesUpMissedRuns(@TempDir Path dir) throws Exception {
        Map<String, String> t = parse(units(dir).timer());
        assertThat(t).containsEntry("Timer.OnCalendar", "hourly").containsEntry("Timer.Persistent", "true")
                .containsEntry("Timer.Unit", "certops-renew.service").containsEntry("Install.WantedBy", "timers.target")
                .containsKey("Timer.RandomizedDelaySec");
    }

    @Test
    void serviceRunsQuietRenewWithMetricsOnThisWorkspace(@TempDir Path dir) throws Exception {
        Map<String, String> s = parse(units(dir).service());
        assertThat(s).containsEntry("Service.Type", "oneshot");
        assertThat(s.get("Service.ExecStart")).isEqualTo(dir.resolve("bin/certops") + " --workspace " + dir.resolve("ws")
                + " renew --quiet --prom " + dir.resolve("prom/certops.prom"));
    }

    @Test
    void systemdAcceptsTheUnitsWhenSystemdAnalyzeIsInstalled(@TempDir Path dir) throws Exception {
        ScheduleUnits u = units(dir);
        Map<String, String> parsed = parse(u.service());
        assertThat(parsed).containsKey("Service.ExecStart");
        assertSystemdAccepts(dir, u);
    }

    /** A workspace name that sh, cron and systemd would each expand or cut if it were not quoted properly. */
    private static final String HOSTILE = "ws $(touch X) `touch Y` 100% it's";

    /** A launcher that writes each argument it gets on its own line, so the test sees what the shell passed. */
    private static ScheduleUnits hostileUnits(Path dir) throws Exception {
        Path launcher = dir.resolve("bin/certops");
        Files.createDirectories(launcher.getParent());
        Files.writeString(launcher, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"" + dir.resolve("args")
                + "\"\n");
        launcher.toFile().setExecutable(true);
        return new ScheduleUnits(launcher, dir.resolve(HOSTILE), dir.resolve("prom/certops.prom"));
    }

    private static java.util.List<String> runInSh(Path dir, String commandLine) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", commandLine).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return Files.readAllLines(dir.resolve("args"));
    }

    @Test
    void shellRunsAWorkspacePathWithDollarBacktickPercentSpaceAndQuoteLiterally(@TempDir Path dir) throws Exception {
        ScheduleUnits u = hostileUnits(dir);
        assertThat(runInSh(dir, u.command())).containsExactly("--workspace", dir.resolve(HOSTILE).toString(), "renew",
                "--quiet", "--prom", dir.resolve("prom/certops.prom").toString());
        assertThat(dir.resolve("X")).doesNotExist();
        assertThat(dir.resolve("Y")).doesNotExist();
    }

    @Test
    void cronLineEscapesPercentSoTheWholeCommandRunsWithAHostileWorkspacePath(@TempDir Path dir) throws Exception {
        ScheduleUnits u = hostileUnits(dir);
        String cronCommand = u.cronLine().replaceFirst("^[0-9]+ \\* \\* \\* \\* ", "");
        // cron cuts the command at the first % not preceded by a backslash, and turns \% into %
        assertThat(cronCommand).doesNotContainPattern("(?<!\\\\)%");
        assertThat(runInSh(dir, cronCommand.replace("\\%", "%"))).contains(dir.resolve(HOSTILE).toString());
        assertThat(dir.resolve("X")).doesNotExist();
        assertThat(dir.resolve("Y")).doesNotExist();
    }

    @Test
    void serviceDoublesPercentAndDollarSoSystemdExpandsNothingInAHostileWorkspacePath(@TempDir Path dir)
            throws Exception {
        ScheduleUnits u = hostileUnits(dir);
        Map<String, String> s = parse(u.service());
        assertThat(s.get("Service.ExecStart")).contains("\"" + dir.resolve("ws $$(touch X) `touch Y` 100%% it's") + "\"");
        assertThat(s.get("Unit.Description")).endsWith(dir.resolve("ws $(touch X) `touch Y` 100%% it's").toString());
        assertSystemdAccepts(dir, u);
    }

    @Test
    void cronLineRunsHourlyAtAFixedMinute(@TempDir Path dir) throws Exception {
        ScheduleUnits u = units(dir);
        assertThat(u.cronLine()).matches("([0-9]|[1-5][0-9]) \\* \\* \\* \\* .+ renew --quiet --prom .+")
                .endsWith(u.command());
    }

    @Test
    void anEncryptedCredentialIsLoadedForTheServiceAndSystemdAcceptsIt(@TempDir Path dir) throws Exception {
        ScheduleUnits plain = units(dir);
        ScheduleUnits u = new ScheduleUnits(plain.launcher(), plain.workspace(), plain.promFile(),
                java.util.Optional.of(new ScheduleUnits.EncryptedCredential(Path.of("/etc/credstore.encrypted/certops-passphrase"))));
        Map<String, String> s = parse(u.service());
        assertThat(s).containsEntry("Service.LoadCredentialEncrypted", "certops-passphrase:/etc/credstore.encrypted/certops-passphrase")
                .containsEntry("Service.ExecStart", parse(plain.service()).get("Service.ExecStart"));
        assertSystemdAccepts(dir, u);
    }

    @Test
    void aPassphraseFileNamedOnTheCrontabLineIsQuotedAndAPathNoUnitCanCarryIsRefused(@TempDir Path dir) throws Exception {
        ScheduleUnits plain = units(dir);
        Path spaced = dir.resolve("my secrets/pass");
        ScheduleUnits u = new ScheduleUnits(plain.launcher(), plain.workspace(), plain.promFile(),
                java.util.Optional.of(new ScheduleUnits.PassphraseFile(spaced)));

        assertThat(u.cronLine()).contains("* * * * CERTOPS_PASSPHRASE_FILE='" + spaced + "' " + plain.command());
        org.assertj.core.api.Assertions.assertThatThrownBy(u::service).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written into a unit");
    }

    /** systemd-analyze verify accepts the units without a word about them, where systemd-analyze is installed. */
    private static void assertSystemdAccepts(Path dir, ScheduleUnits u) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) return; // the text is checked by the caller; nothing more to check on this machine
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.writeString(units.resolve(ScheduleUnits.SERVICE_NAME), u.service(), StandardCharsets.UTF_8);
        Files.writeString(units.resolve(ScheduleUnits.TIMER_NAME), u.timer(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no",
                units.resolve(ScheduleUnits.SERVICE_NAME).toString(), units.resolve(ScheduleUnits.TIMER_NAME).toString())
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("certops-renew.service:").doesNotContain("certops-renew.timer:");
    }
}
