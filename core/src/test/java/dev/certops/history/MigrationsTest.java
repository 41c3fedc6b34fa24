package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    @TempDir Path dir;

    @Test
    void newDatabaseGetsEveryScriptOnceInOrder() throws Exception {
        Path db = dir.resolve("history.db");
        SqliteHistoryStore.open(db, "alice@laptop").close();

        assertThat(rows(db, "SELECT version, description FROM schema_version ORDER BY version"))
                .containsExactly("1 events", "2 append only", "3 team", "4 event signatures");
    }

    @Test
    void reopeningAppliesNothingAndKeepsTheEvents() throws Exception {
        Path db = dir.resolve("history.db");
        try (SqliteHistoryStore s = SqliteHistoryStore.open(db, "alice@laptop")) {
            s.append(NewEvent.of(EventKinds.WORKSPACE_CREATED, "", "ok"));
        }
        try (SqliteHistoryStore s = SqliteHistoryStore.open(db, "alice@laptop")) {
            assertThat(s.count()).isEqualTo(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(Migrations.load(Migrations.Dialect.SQLITE).apply(c, db.toString(), java.time.Clock.systemUTC())).isZero();
        }

        assertThat(rows(db, "SELECT count(*) FROM schema_version")).containsExactly("4");
    }

    @Test
    void databaseFromANewerCertopsIsRefusedUntouched() throws Exception {
        Path db = dir.resolve("history.db");
        SqliteHistoryStore.open(db, "alice@laptop").close();
        exec(db, "INSERT INTO schema_version VALUES (99, 'from the future', 'V99__x.sql', 'x', '2030-01-01T00:00:00Z')");

        assertThatThrownBy(() -> SqliteHistoryStore.open(db, "alice@laptop"))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("upgrade certops")
                .hasMessageContaining("Nothing was changed");
        assertThat(rows(db, "SELECT max(version) FROM schema_version")).containsExactly("99");
    }

    @Test
    void fileThatIsNotADatabaseIsRefusedWithWhatToCheck() throws Exception {
        Path notDb = dir.resolve("history.db");
        Files.writeString(notDb, "this is a text file, not SQLite ".repeat(40));

        assertThatThrownBy(() -> SqliteHistoryStore.open(notDb, "alice@laptop"))
                .isInstanceOf(HistoryException.class).hasMessageContaining(notDb.toString()).hasMessageContaining("restore it from a backup");
        assertThat(Files.readString(notDb)).startsWith("this is a text file");
    }

    @Test
    void indexListsEveryScriptInTheDialectFolder() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource("db/migration/sqlite/index.txt").toURI()).getParent();
        List<String> onDisk;
        try (Stream<Path> files = Files.list(folder)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }

        assertThat(Migrations.load(Migrations.Dialect.SQLITE).scripts())
                .extracting(s -> s.resource().substring(s.resource().lastIndexOf('/') + 1))
                .containsExactlyInAnyOrderElementsOf(onDisk);
    }

    private static void exec(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static List<String> rows(Path db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
