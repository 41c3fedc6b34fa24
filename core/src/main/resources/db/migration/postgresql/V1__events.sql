-- The append-only, hash-chained event log: the same columns and hash format as the SQLite dialect
-- (documented on dev.certops.history.SqliteHistoryStore); time_iso is for people, time_ms is what is hashed.
CREATE TABLE events (
    seq       BIGINT  PRIMARY KEY,
    time_ms   BIGINT  NOT NULL,
    time_iso  TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    kind      TEXT    COLLATE "C" NOT NULL, -- byte order, so kind-prefix ranges match as in SQLite
    subject   TEXT    NOT NULL DEFAULT '',
    outcome   TEXT    NOT NULL DEFAULT '',
    details   TEXT    NOT NULL DEFAULT '{}',
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE INDEX events_kind_time    ON events (kind, time_ms);
CREATE INDEX events_subject_time ON events (subject, time_ms);
CREATE INDEX events_time         ON events (time_ms);
