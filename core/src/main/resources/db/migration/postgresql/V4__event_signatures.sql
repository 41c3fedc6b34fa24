-- Who signed what: in a team with team/allowed_signers, each event's actor signs the event's hash with
-- their SSH key (OpenSSH SSHSIG, namespace certops, base64). Not part of the hashed content (a signature
-- over the hash cannot be inside it); audit verify checks each against the signers allowed then.
CREATE TABLE event_signatures (
    seq       BIGINT PRIMARY KEY,
    signature TEXT   NOT NULL
);
CREATE FUNCTION certops_signatures_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: a recorded signature cannot be changed or deleted';
END;
$$;
CREATE TRIGGER event_signatures_no_change BEFORE UPDATE OR DELETE ON event_signatures
    FOR EACH ROW EXECUTE FUNCTION certops_signatures_append_only();
