package dev.certops.renew;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.cli.CliRun;
import dev.certops.config.Workspace;
import dev.certops.history.SqliteHistoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certops renew --dry-run}, {@code status} and {@code schedule} on an offline workspace. */
class RenewCommandsTest {
    @TempDir Path dir;

    /** Runs a command as if started by the launcher {@code dir/bin/certops} (a script that exits 0). */
    private CliRun cli(Workspace ws, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--workspace";
        all[args.length + 1] = ws.root().toString();
        return CliRun.run(Map.of("HOME", dir.resolve("home").toString(), ScheduleLauncher.ENV, launcher().toString()), "", all);
    }

    private Path launcher() throws Exception {
        Path launcher = dir.resolve("bin/certops");
        if (!Files.exists(launcher)) {
            Files.createDirectories(launcher.getParent());
            Files.writeString(launcher, "#!/bin/sh\necho certops 0.1.0\n");
            launcher.toFile().setExecutable(true);
        }
        return launcher;
    }

    @Test
    void dryRunPrintsEachDecisionWithReasonDueTimeAndBudgetCostAndRecordsNothing() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 2, 1);

        CliRun r = cli(ws, "renew", "--dry-run");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("c0 +renew +now +.*less than renewBefore 30d.*cost: 1 order at primary \\(new order, counts against every limit\\); can go now")
                .containsPattern("c1 +none +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ +not due: 7\\d d \\d+ h left")
                .contains("Dry run: 1 of 2 certificates due; nothing was changed.");
        try (var h = SqliteHistoryStore.open(ws.historyFile(), "test")) {
            assertThat(h.query(dev.certops.history.EventQuery.all().kind("renew."))).isEmpty();
        }
        assertThat(Files.exists(ws.certsDir().resolve("c0/2"))).isFalse();
    }

    @Test
    void aStagingVersionIssuedAfterTheProductionOneDoesNotMakeTheCertificateDue() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);
        var versions = new dev.certops.acme.CertificateVersions(ws,
                new dev.certops.crypto.SecretStore(ws.secretsDir(), java.util.Optional.empty()));
        var ca = dev.certops.crypto.CertificateBuilder.ca("Staging CA").build();
        java.time.Instant now = java.time.Instant.now();
        var leaf = dev.certops.crypto.CertificateBuilder.leaf("c0.example.test")
                .validity(now, now.plus(java.time.Duration.ofDays(30))).signedBy(ca).build();
        versions.store("c0", java.util.List.of(leaf.certificate(), ca.certificate()), leaf.keys().getPrivate(), "primary", true, now);

        CliRun r = cli(ws, "renew", "--dry-run");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("c0 +none +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ +not due: 7\\d d \\d+ h left")
                .contains("Dry run: 0 of 1 certificate due");
    }

    @Test
    void aCaDirectoryAnsweringServiceUnavailableIsAskedOncePerRunNotOncePerCertificate() throws Exception {
        var tls = dev.certops.testing.TestTls.create(dir.resolve("tls"));
        var server = dev.certops.testing.TestHttps.server(tls);
        var requests = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        try {
            Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 5, 0,
                    "\"https://127.0.0.1:" + server.getAddress().getPort() + "/dir\", trust: \"" + tls.caPem() + "\"");

            CliRun r = cli(ws, "renew", "--dry-run");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Dry run: 0 of 5 certificates due");
            assertThat(requests.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void statusWarnsWhenRenewNeverSucceededAndIsQuietOnceARunSucceeds() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 2, 0);

        CliRun before = cli(ws, "status");
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.err()).contains("renew has never succeeded for the 2 managed certificates");

        CliRun renew = cli(ws, "renew", "--prom", dir.resolve("renew.prom").toString());
        assertThat(renew.exitCode()).as(renew.err()).isZero();
        assertThat(renew.out()).contains("Nothing to do: 2 certificates checked, none due.");
        assertThat(Files.readString(dir.resolve("renew.prom"))).contains("certops_renew_last_success_timestamp_seconds ")
                .contains("certops_certificate_expiry_timestamp_seconds{certificate=\"c1\"}");

        CliRun after = cli(ws, "status");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).contains("Failing certificates: none").doesNotContain("Last successful run:  never");
    }

    @Test
    void scheduleInstallWritesUnitsSystemdAccepts() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);
        Path launcher = launcher();

        CliRun r = cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString(), "--launcher", launcher.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Path service = dir.resolve("units").resolve(ScheduleUnits.SERVICE_NAME);
        assertThat(Files.readString(service)).contains("ExecStart=" + launcher + " --workspace " + ws.root().toAbsolutePath() + " renew --quiet --prom ");
        assertThat(r.out()).contains("systemctl daemon-reload && systemctl enable --now certops-renew.timer");
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) return; // ScheduleUnitsTest parses the units on machines without systemd
        Process p = new ProcessBuilder(analyze.toString(), "verify", "--man=no", service.toString(),
                dir.resolve("units").resolve(ScheduleUnits.TIMER_NAME).toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void scheduleInstallUserWritesIntoTheUsersSystemdFolder() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);

        CliRun r = cli(ws, "schedule", "install", "--systemd", "--user");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(dir.resolve("home/.config/systemd/user").resolve(ScheduleUnits.TIMER_NAME)).isRegularFile();
        assertThat(r.out()).contains("systemctl --user daemon-reload");
    }

    @Test
    void scheduleShowAndCronPrintWithoutWriting() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);

        CliRun show = cli(ws, "schedule", "show");
        CliRun cron = cli(ws, "schedule", "install", "--cron");

        assertThat(show.out()).contains("[Timer]").contains("OnCalendar=hourly").contains("# crontab line");
        assertThat(cron.out()).containsPattern("\\d+ \\* \\* \\* \\* .* renew --quiet --prom .*renew\\.prom");
        assertThat(dir.resolve("home")).doesNotExist();
    }

    @Test
    void scheduleStatusShowsTheLastRunAndTheNextCertificateDue() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 2, 0);
        assertThat(cli(ws, "renew", "--quiet").exitCode()).isZero();

        CliRun r = cli(ws, "schedule", "status");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Last run:").contains("(exit 0)").contains("Failing:      none").containsPattern("Next due:     c[01] at ");
    }

    @Test
    void anUnknownCertificateIsAUsageErrorNamingTheKnownOnes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String ws = dir.resolve("ws").toString();
        dev.certops.cli.CliRun.run("init", "--workspace", ws);
        java.nio.file.Files.writeString(java.nio.file.Path.of(ws, "certops.yaml"), "certificates:\n  - { id: api, names: [api.example.test] }\n");

        dev.certops.cli.CliRun r = dev.certops.cli.CliRun.run("renew", "--cert", "nope", "--workspace", ws);

        org.assertj.core.api.Assertions.assertThat(r.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.USAGE);
        org.assertj.core.api.Assertions.assertThat(r.err()).contains("no certificate 'nope'", "known: api").doesNotContain("internal error");
    }

    private Path script(String name, String body) throws Exception {
        Path s = dir.resolve(name);
        Files.createDirectories(s.getParent());
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        s.toFile().setExecutable(true);
        return s;
    }

    @Test
    void scheduleInstallRefusesALauncherThatDoesNotRunAndWritesNothing() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);
        Path broken = script("old/bin/certops", "echo 'Error: could not find libjli.so' >&2; exit 127");

        CliRun failing = cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString(), "--launcher", broken.toString());
        CliRun missing = cli(ws, "schedule", "show", "--launcher", dir.resolve("gone/certops").toString());

        assertThat(failing.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(failing.err()).contains(broken + " --version failed (exit 127): Error: could not find libjli.so");
        assertThat(dir.resolve("units")).doesNotExist();
        assertThat(missing.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(missing.err()).contains(dir.resolve("gone/certops") + " does not exist").doesNotContain("[Service]");
    }

    @Test
    void scheduleShowWritesTheRunningLaunchersAbsolutePathNotTheCurrentDirectory() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);

        CliRun show = cli(ws, "schedule", "show");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("ExecStart=" + launcher() + " --workspace " + ws.root() + " renew --quiet");
    }

    @Test
    void scheduleStatusAndStatusWarnWhenTheTimersCommandNoLongerExists() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);
        Path installed = script("opt/certops/bin/certops", "echo certops 0.1.0");
        assertThat(cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString(), "--launcher", installed.toString())
                .exitCode()).isZero();
        assertThat(cli(ws, "renew", "--quiet").exitCode()).isZero();
        CliRun fine = cli(ws, "schedule", "status");
        assertThat(fine.exitCode()).as(fine.err()).isZero();
        assertThat(fine.out()).contains("runs " + installed);

        Files.delete(installed); // the package was removed

        CliRun schedule = cli(ws, "schedule", "status");
        CliRun status = cli(ws, "status");
        for (CliRun r : List.of(schedule, status)) {
            assertThat(r.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.WARNING);
            assertThat(r.err()).contains("WARNING: the renew timer (" + dir.resolve("units").resolve(ScheduleUnits.SERVICE_NAME) + ") runs "
                    + installed + ", which no longer exists").contains("Install certops (or certops-cli) again");
        }
    }

    /** A workspace whose secrets are encrypted (an alert URL stored with the passphrase). */
    private Workspace encryptedWorkspace() throws Exception {
        Workspace ws = OfflineWorkspace.create(dir.resolve("ws"), 1, 0);
        new dev.certops.crypto.SecretStore(ws.secretsDir(), java.util.Optional.of("right".toCharArray()))
                .write("slack-webhook", "https://hooks.example.test/T0/B0/xyz".getBytes(StandardCharsets.UTF_8));
        return ws;
    }

    private Path privateFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void anEncryptedWorkspaceGetsNoTimerWithoutThePassphraseAndIsToldBothWays() throws Exception {
        Workspace ws = encryptedWorkspace();

        CliRun systemd = cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString());
        CliRun cron = cli(ws, "schedule", "install", "--cron");

        assertThat(systemd.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(systemd.err()).contains("secrets/slack-webhook").contains("Nothing was written")
                .contains("systemd-creds encrypt --name=certops-passphrase - /etc/credstore.encrypted/certops-passphrase")
                .contains("--passphrase-credential").contains("--passphrase-file");
        assertThat(dir.resolve("units")).doesNotExist();
        assertThat(cron.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(cron.err()).contains("--passphrase-file").doesNotContain("--passphrase-credential");
        assertThat(cron.out()).doesNotContain("* * * *");
    }

    @Test
    void aPassphraseFileThatDoesNotDecryptTheWorkspaceIsRefused() throws Exception {
        Workspace ws = encryptedWorkspace();
        Path wrong = privateFile("wrong", "not-it\n");

        CliRun r = cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString(), "--passphrase-file", wrong.toString());

        assertThat(r.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(r.err()).contains(wrong + " does not decrypt secrets/slack-webhook").doesNotContain("not-it");
        assertThat(dir.resolve("units")).doesNotExist();
    }

    @Test
    void aPassphraseFileOthersCanReadIsRefusedForTheTimer() throws Exception {
        Workspace ws = encryptedWorkspace();
        Path open = privateFile("open", "right\n");
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        CliRun r = cli(ws, "schedule", "install", "--cron", "--passphrase-file", open.toString());

        assertThat(r.exitCode()).isEqualTo(dev.certops.cli.ExitCodes.FAILED);
        assertThat(r.err()).contains("chmod 600 " + open);
    }

    @Test
    void theRightPassphraseFileGoesIntoTheUnitAsACredentialAndIntoTheCrontabLine() throws Exception {
        Workspace ws = encryptedWorkspace();
        Path right = privateFile("right", "right\n");

        CliRun unit = cli(ws, "schedule", "install", "--systemd", "--dir", dir.resolve("units").toString(), "--passphrase-file", right.toString());
        CliRun cron = cli(ws, "schedule", "install", "--cron", "--passphrase-file", right.toString());

        assertThat(unit.exitCode()).as(unit.err()).isZero();
        assertThat(Files.readString(dir.resolve("units").resolve(ScheduleUnits.SERVICE_NAME))).contains("LoadCredential=certops-passphrase:" + right + "\n");
        assertThat(cron.exitCode()).as(cron.err()).isZero();
        assertThat(cron.out()).containsPattern("\\d+ \\* \\* \\* \\* CERTOPS_PASSPHRASE_FILE=" + java.util.regex.Pattern.quote(right.toString()) + " " + java.util.regex.Pattern.quote(launcher().toString()));
    }
}
