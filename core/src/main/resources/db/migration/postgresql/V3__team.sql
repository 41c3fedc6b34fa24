-- Team mode: leases on what changes the world, consoles that are connected, and a notification per
-- new event so consoles see each other's work at once (LISTEN certops_events; the payload is the seq).
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
    PERFORM pg_notify('certops_events', NEW.seq::text);
    RETURN NULL;
END;
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION certops_events_notify();
