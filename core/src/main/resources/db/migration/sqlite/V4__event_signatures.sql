-- Who signed what: in a team with team/allowed_signers, each event's actor signs the event's hash with
-- their SSH key (OpenSSH SSHSIG, namespace certops, base64). Not part of the hashed content (a signature
-- over the hash cannot be inside it); audit verify checks each against the signers allowed then.
CREATE TABLE event_signatures (
    seq       INTEGER PRIMARY KEY,
    signature TEXT    NOT NULL
);
CREATE TRIGGER event_signatures_no_update BEFORE UPDATE ON event_signatures
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a recorded signature cannot be changed');
END;
CREATE TRIGGER event_signatures_no_delete BEFORE DELETE ON event_signatures
BEGIN
    SELECT RAISE(ABORT, 'history is append-only: a recorded signature cannot be deleted');
END;
