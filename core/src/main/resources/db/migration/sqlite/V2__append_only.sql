-- History is append-only: the database itself refuses to change or delete a recorded event.
-- (Someone who drops these triggers or edits the file still cannot hide it: verify() walks the chain.)
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a recorded event cannot be changed');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a recorded event cannot be deleted');
END;
