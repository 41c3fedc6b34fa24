package dev.certops.history;

/**
 * Signs events as they are appended (team mode with {@code team/allowed_signers}): the actor's
 * signature over the event's hash, stored beside the event in {@code event_signatures}.
 */
public interface EventSigner {
    /**
     * The signature over {@code eventHash} (the event's hex hash, as ASCII), as one line of text.
     *
     * @throws Exception when the key cannot sign now (agent gone): the event is then recorded
     *                   unsigned, which {@code audit verify} names
     */
    String sign(String eventHash) throws Exception;
}
