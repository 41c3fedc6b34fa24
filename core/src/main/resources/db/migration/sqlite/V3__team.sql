-- Team semantics on one machine: leases between processes sharing this file (taken inside
-- BEGIN IMMEDIATE), and the consoles that are open. New events are seen by polling max(seq).
CREATE TABLE leases (
    subject    TEXT    PRIMARY KEY,
    token      TEXT    NOT NULL,
    operation  TEXT    NOT NULL,
    holder     TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    console    TEXT    NOT NULL,
    since_ms   INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE consoles (
    console      TEXT    PRIMARY KEY,
    actor        TEXT    NOT NULL,
    since_ms     INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL
);
