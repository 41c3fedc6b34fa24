package dev.certops.scan;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A plain-text exchange before the TLS handshake: STARTTLS on mail and directory ports. The same
 * dialogue serves the batch probe ({@link TlsProbe#fetchAll}, which drives it without blocking) and
 * the blocking probe ({@link StartTls#upgrade}): the driver sends {@link #first()}, hands over the
 * bytes the server has sent so far and sends what the opening answers, until the opening says TLS
 * may start. An opening is used by one connection at a time ({@link TlsProbe.Openings#forEndpoint}
 * makes a fresh one each time), so it may keep state.
 */
public interface Opening {
    /** Lines longer than this before TLS are refused: a server that says that much is not greeting. */
    int MAX_LINE = 4096;

    /** What to send before the server has said anything (most protocols: nothing, the server greets first). */
    default byte[] first() { return new byte[0]; }

    /**
     * The next move given what the server has sent and nobody has consumed yet ({@code received} in
     * read mode, from its position to its limit). The opening consumes (advances past) what it has
     * used; {@link Reply.Wait} means nothing more can be decided from these bytes: read more.
     */
    Reply onBytes(ByteBuffer received);

    /** A line-based dialogue (SMTP, IMAP, POP3): each complete line (without its line ending) goes to {@code onLine}. */
    static Opening lines(String first, Function<String, Reply> onLine) {
        return new Opening() {
            @Override public byte[] first() { return first.getBytes(StandardCharsets.US_ASCII); }

            @Override public Reply onBytes(ByteBuffer received) {
                while (true) {
                    int nl = -1;
                    for (int i = received.position(); i < received.limit(); i++) {
                        if (received.get(i) == '\n') {
                            nl = i;
                            break;
                        }
                    }
                    if (nl < 0) {
                        return received.remaining() > MAX_LINE
                                ? new Reply.Refuse("the server sent a line longer than " + MAX_LINE + " bytes before TLS — is this the right port and protocol?")
                                : new Reply.Wait();
                    }
                    byte[] line = new byte[nl - received.position()];
                    received.get(line);
                    received.get(); // the '\n'
                    String text = new String(line, StandardCharsets.US_ASCII);
                    if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
                    Reply r = onLine.apply(text);
                    if (!(r instanceof Reply.Wait)) return r;
                }
            }
        };
    }

    /** An opening's answer to what the server sent. */
    sealed interface Reply permits Reply.Wait, Reply.Send, Reply.StartTls, Reply.Refuse {
        /** The server has more to say (a multi-line answer, or a message not complete yet). */
        record Wait() implements Reply { }

        /** Send these bytes and read on. */
        record Send(byte[] bytes) implements Reply {
            /** A line of text, with its line ending. */
            public Send(String text) { this(text.getBytes(StandardCharsets.US_ASCII)); }
        }

        /** The server agreed: the TLS handshake starts now on the same connection. */
        record StartTls() implements Reply { }

        /** The server refused or spoke another protocol: why and what to do, for the operator. */
        record Refuse(String why) implements Reply { }
    }
}
