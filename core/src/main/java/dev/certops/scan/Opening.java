package dev.certops.scan;

/**
 * A plain-text exchange before the TLS handshake: STARTTLS on mail and directory ports. The batch
 * probe ({@link TlsProbe#fetchAll}) drives it without blocking: it hands over each complete line the
 * server sent and sends what the opening answers, until the opening says TLS may start. An opening
 * is used by one connection at a time ({@link TlsProbe.Openings#forEndpoint} makes a fresh one each
 * time), so it may keep state.
 */
public interface Opening {
    /** What to send before the server has said anything (most protocols: nothing, the server greets first). */
    default String first() { return ""; }

    /** The next move after the server sent {@code line} (without its line ending). */
    Reply onLine(String line);

    /** An opening's answer to a line. */
    sealed interface Reply permits Reply.Wait, Reply.Send, Reply.StartTls, Reply.Refuse {
        /** The server has more to say (a multi-line answer). */
        record Wait() implements Reply { }

        /** Send this text (with its line ending) and read on. */
        record Send(String text) implements Reply { }

        /** The server agreed: the TLS handshake starts now on the same connection. */
        record StartTls() implements Reply { }

        /** The server refused or spoke another protocol: why, for the operator. */
        record Refuse(String why) implements Reply { }
    }
}
