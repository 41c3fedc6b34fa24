package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus what only the local file has. */
class SqliteHistoryStoreTest extends HistoryStoreContract {
    @TempDir Path dir;

    @Override
    HistoryStore openFresh(String actor, Clock clock) throws Exception {
        return SqliteHistoryStore.open(dir.resolve("history.db"), actor, clock);
    }

    @Override
    HistoryStore openSame(String actor, Clock clock) throws Exception {
        return SqliteHistoryStore.open(dir.resolve("history.db"), actor, clock);
    }

    private Path file() { return ((SqliteHistoryStore) store).file(); }

    @Test
    void appendAllRecordsNothingWhenTheDatabaseFailsMidBatch() throws Exception {
        store.append(NewEvent.of("before", "", "ok"));
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement st = raw.createStatement()) {
            // an injected fault: the database refuses the third insert of the batch
            st.executeUpdate("CREATE TRIGGER fault BEFORE INSERT ON events WHEN NEW.subject = 'boom' "
                    + "BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
        }

        assertThatThrownBy(() -> store.appendAll(List.of(NewEvent.of("x", "a", "ok"), NewEvent.of("x", "b", "ok"),
                NewEvent.of("x", "boom", "ok")))).isInstanceOf(HistoryException.class).hasMessageContaining("Nothing of this batch");

        assertThat(store.count()).isEqualTo(1);
        store.append(NewEvent.of("after", "", "ok"));
        assertThat(store.verify()).isEqualTo(AuditResult.valid(2));
    }

    @Test
    void missingWorkspaceFolderIsReportedWithWhatToDo() {
        assertThatThrownBy(() -> SqliteHistoryStore.open(dir.resolve("nope/history.db"), "alice@laptop"))
                .isInstanceOf(HistoryException.class).hasMessageContaining("does not exist").hasMessageContaining("Create the workspace");
    }
}
