-- Team mode: leases on what changes the world, consoles that are connected, and a notification per
-- append so consoles see each other's work at once (LISTEN certops_events; the payload is the newest
-- seq of the statement: one notification per batch, not per row).
CREATE TABLE leases (
    subject    TEXT   PRIMARY KEY,
    token      TEXT   NOT NULL,
    operation  TEXT   NOT NULL,
    holder     TEXT   NOT NULL,
    actor      TEXT   NOT NULL,
    console    TEXT   NOT NULL,
    since_ms   BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE consoles (
    console      TEXT   PRIMARY KEY,
    actor        TEXT   NOT NULL,
    since_ms     BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL
);
CREATE FUNCTION certops_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('certops_events', (SELECT max(seq) FROM inserted)::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION certops_events_notify();
