package dev.certops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoundationCommandsTest {
    @TempDir Path dir;

    private String ws() { return dir.resolve("ws").toString(); }

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("init", "config", "history", "audit", "--workspace");
    }

    @Test
    void unknownOptionIsAUsageErrorThatPointsToHelp() {
        CliRun r = CliRun.run("history", "--bogus");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option", "certops history --help");
    }

    @Test
    void initCreatesAWorkspaceWithPrivateSecretsAndARecordedEvent() throws Exception {
        CliRun r = CliRun.run("init", "--workspace", ws());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path root = Path.of(ws());
        assertThat(root.resolve("certops.yaml")).exists();
        assertThat(Files.getPosixFilePermissions(root.resolve("secrets"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        CliRun h = CliRun.run("history", "--workspace", ws(), "--json");
        assertThat(h.out()).contains("\"kind\" : \"workspace.created\"");
    }

    @Test
    void initRefusesToOverwriteAnExistingWorkspace() throws Exception {
        CliRun.run("init", "--workspace", ws());
        Files.writeString(Path.of(ws(), "certops.yaml"), "certificates: []\n");
        CliRun again = CliRun.run("init", "--workspace", ws());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("already exists: nothing was changed");
        assertThat(Files.readString(Path.of(ws(), "certops.yaml"))).isEqualTo("certificates: []\n");
    }

    @Test
    void workspaceComesFromCertopsHomeWhenNoOptionIsGiven() {
        CliRun.run(java.util.Map.of("CERTOPS_HOME", ws()), "", "init");
        assertThat(Path.of(ws(), "certops.yaml")).exists();
    }

    @Test
    void configCheckAcceptsTheNewWorkspace() {
        CliRun.run("init", "--workspace", ws());
        CliRun r = CliRun.run("config", "check", "--workspace", ws());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("is valid");
    }

    @Test
    void configCheckNamesFileLineAndKeyAndExits78() throws Exception {
        CliRun.run("init", "--workspace", ws());
        Files.writeString(Path.of(ws(), "certops.yaml"), "certificates:\n  - id: api\n    names: [api.example.com]\n    key: dsa-1024\n");
        CliRun r = CliRun.run("config", "check", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("certops.yaml:4: certificates[0].key: 'dsa-1024' is not a key type");
    }

    @Test
    void aMissingWorkspaceSaysHowToCreateOne() {
        CliRun r = CliRun.run("config", "check", "--workspace", dir.resolve("nothing").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(r.err()).contains("certops init");
    }

    @Test
    void auditVerifyPassesOnAnIntactHistoryAndNamesTheEditedEvent() throws Exception {
        CliRun.run("init", "--workspace", ws());
        assertThat(CliRun.run("audit", "verify", "--workspace", ws()).out()).contains("OK: 1 events");
        Path db = Path.of(ws(), "history.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            for (String t : listTriggers(c)) st.execute("DROP TRIGGER " + t);
            st.executeUpdate("UPDATE events SET outcome = 'forged' WHERE seq = 1");
        }
        CliRun r = CliRun.run("audit", "verify", "--workspace", ws());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out()).contains("BROKEN", "first broken event: 1");
    }

    @Test
    void auditExportWritesCsvWithHashes() throws Exception {
        CliRun.run("init", "--workspace", ws());
        Path out = dir.resolve("audit.csv");
        CliRun r = CliRun.run("audit", "export", "--workspace", ws(), "--format", "csv", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("workspace.created").containsIgnoringCase("hash");
    }

    private static java.util.List<String> listTriggers(java.sql.Connection c) throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (var rs = c.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'trigger'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        return names;
    }
}
