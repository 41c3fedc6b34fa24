-- History is append-only: the database itself refuses to change, delete or truncate a recorded event.
-- (Someone who drops these triggers still cannot hide it: verify() walks the chain.)
CREATE FUNCTION certops_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'history is append-only: a recorded event cannot be changed';
    END IF;
    RAISE EXCEPTION 'history is append-only: a recorded event cannot be deleted';
END;
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH ROW EXECUTE FUNCTION certops_events_append_only();
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION certops_events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION certops_events_append_only();
