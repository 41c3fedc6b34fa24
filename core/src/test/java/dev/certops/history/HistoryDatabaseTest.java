package dev.certops.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a history database is equal to, and what it says of itself. */
class HistoryDatabaseTest {
    @Test
    void theSameSqliteFileIsTheSameDatabaseHoweverItsPathWasWritten() {
        HistoryDatabase relative = new HistoryDatabase.Sqlite(Path.of("ws/history.db"));
        HistoryDatabase absolute = new HistoryDatabase.Sqlite(Path.of("ws/history.db").toAbsolutePath());
        assertThat(relative).isEqualTo(absolute).hasSameHashCodeAs(absolute);
        assertThat(relative).isNotEqualTo(new HistoryDatabase.Sqlite(Path.of("other/history.db")));
    }

    @Test
    void aSharedHistoryNeverSaysItsPassword() {
        HistoryDatabase db = new HistoryDatabase.Postgres("jdbc:postgresql://127.0.0.1:5432/certops", "certops", "s3cret-Pw", "disable");
        assertThat(db.toString()).doesNotContain("s3cret-Pw").contains("127.0.0.1:5432");
    }
}
