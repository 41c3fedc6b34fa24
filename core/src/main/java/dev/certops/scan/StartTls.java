package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The plain-text upgrade a mail or directory server needs before TLS: SMTP ({@code EHLO}, {@code
 * STARTTLS}), IMAP ({@code STARTTLS}), POP3 ({@code STLS}), LDAP (the StartTLS extended operation) and
 * PostgreSQL (SSLRequest). Each is an {@link Opening}: the batch probe drives it on a non-blocking
 * socket, {@link #upgrade} on a blocking one, so both speak the same dialogue. Messages say what the
 * server answered and what to do.
 */
final class StartTls {
    private static final int MAX_LINES = 100;
    /** LDAPMessage { messageID 1, ExtendedRequest { requestName 1.3.6.1.4.1.1466.20037 } }. */
    private static final byte[] LDAP_STARTTLS = {0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, (byte) 0x80, 0x16,
        '1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.', '1', '4', '6', '6', '.', '2', '0', '0', '3', '7'};
    /** PostgreSQL SSLRequest: length 8, code 80877103. */
    private static final byte[] PG_SSLREQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};

    /** The server refused the upgrade or speaks another protocol: it is reachable, but offers no TLS here. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String why) { super(why); }
    }

    private StartTls() { }

    /** A fresh dialogue for the endpoint's protocol; empty for TLS from the first byte. */
    static Optional<Opening> opening(Endpoint e) {
        String p = "STARTTLS " + e.starttls().label() + ": ";
        return switch (e.starttls()) {
            case NONE -> Optional.empty();
            case SMTP -> Optional.of(smtp(p));
            case IMAP -> Optional.of(imap(p));
            case POP3 -> Optional.of(pop3(p));
            case LDAP -> Optional.of(ldap(p));
            case POSTGRES -> Optional.of(postgres(p));
        };
    }

    /** Does the endpoint's upgrade on a blocking socket (nothing for TLS from the first byte); afterwards the socket is ready for the TLS handshake. */
    static void upgrade(Socket s, Endpoint e) throws IOException {
        Optional<Opening> opening = opening(e);
        if (opening.isEmpty()) return;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        out.write(opening.get().first());
        out.flush();
        ByteBuffer received = ByteBuffer.allocate(2 * Opening.MAX_LINE);
        while (true) {
            received.flip();
            Opening.Reply r = opening.get().onBytes(received);
            received.compact();
            if (r instanceof Opening.Reply.Send send) {
                out.write(send.bytes());
                out.flush();
            } else if (r instanceof Opening.Reply.StartTls) {
                return; // the server waits for our ClientHello: nothing of TLS has been read
            } else if (r instanceof Opening.Reply.Refuse refuse) {
                throw new Refused(refuse.why());
            } else {
                if (!received.hasRemaining()) throw new Refused("STARTTLS " + e.starttls().label() + ": the server said too much before TLS — is this the right port and protocol?");
                int n = in.read(received.array(), received.position(), received.remaining());
                if (n < 0) throw new EOFException("the server closed the connection before TLS");
                received.position(received.position() + n);
            }
        }
    }

    private static Opening smtp(String p) {
        List<String> ehlo = new ArrayList<>();
        String[] step = {"greeting"};
        return Opening.lines("", line -> {
            boolean more = line.length() > 3 && line.charAt(3) == '-';
            switch (step[0]) {
                case "greeting" -> {
                    if (!line.startsWith("220")) return refuse(p, line, "220", "the greeting");
                    if (more) return new Opening.Reply.Wait();
                    step[0] = "EHLO";
                    return new Opening.Reply.Send("EHLO certops-scan\r\n");
                }
                case "EHLO" -> {
                    ehlo.add(line.length() > 4 ? line.substring(4) : line);
                    if (more && ehlo.size() < MAX_LINES) return new Opening.Reply.Wait();
                    if (!line.startsWith("250")) return refuse(p, line, "250", "EHLO");
                    if (ehlo.stream().noneMatch(l -> l.trim().toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                        return new Opening.Reply.Refuse(p + "the server does not offer STARTTLS (its EHLO lists " + String.join(", ", ehlo)
                                + ") — enable TLS on it (postfix: smtpd_tls_security_level = may)");
                    }
                    step[0] = "STARTTLS";
                    return new Opening.Reply.Send("STARTTLS\r\n");
                }
                default -> {
                    if (more) return new Opening.Reply.Wait();
                    return line.startsWith("220") ? new Opening.Reply.StartTls() : refuse(p, line, "220", "STARTTLS");
                }
            }
        });
    }

    private static Opening imap(String p) {
        int[] untagged = {-1};
        return Opening.lines("", line -> {
            if (untagged[0] < 0) {
                if (!line.startsWith("* OK")) return refuse(p, line, "* OK", "the greeting");
                untagged[0] = 0;
                return new Opening.Reply.Send("c1 STARTTLS\r\n");
            }
            if (line.startsWith("*") && ++untagged[0] < MAX_LINES) return new Opening.Reply.Wait();
            return line.startsWith("c1 OK") ? new Opening.Reply.StartTls() : refuse(p, line, "c1 OK", "STARTTLS");
        });
    }

    private static Opening pop3(String p) {
        boolean[] greeted = {false};
        return Opening.lines("", line -> {
            if (!greeted[0]) {
                if (!line.startsWith("+OK")) return refuse(p, line, "+OK", "the greeting");
                greeted[0] = true;
                return new Opening.Reply.Send("STLS\r\n");
            }
            return line.startsWith("+OK") ? new Opening.Reply.StartTls()
                    : new Opening.Reply.Refuse(p + "the server answered '" + printable(line) + "' to STLS — enable TLS on the POP3 server (dovecot: ssl = yes)");
        });
    }

    /** Reads one LDAPMessage (BER, definite lengths) and looks at the resultCode of its ExtendedResponse. */
    private static Opening ldap(String p) {
        return new Opening() {
            @Override public byte[] first() { return LDAP_STARTTLS.clone(); }

            @Override public Reply onBytes(ByteBuffer in) {
                if (in.remaining() < 2) return new Reply.Wait();
                int at = in.position();
                if ((in.get(at) & 0xff) != 0x30) return new Reply.Refuse(p + "the answer is not an LDAP message — is this an LDAP port?");
                int first = in.get(at + 1) & 0xff;
                int header = 2;
                int len = first;
                if ((first & 0x80) != 0) {
                    int n = first & 0x7f;
                    if (n > 3) return new Reply.Refuse(p + "an answer too long to be StartTLS's — is this an LDAP port?");
                    if (in.remaining() < 2 + n) return new Reply.Wait();
                    len = 0;
                    for (int i = 0; i < n; i++) len = (len << 8) | (in.get(at + 2 + i) & 0xff);
                    header += n;
                }
                if (in.remaining() < header + len) return new Reply.Wait();
                byte[] msg = new byte[len];
                in.position(at + header);
                in.get(msg);
                // messageID (02 01 01), then [APPLICATION 24] ExtendedResponse (78 len), then resultCode ENUMERATED (0a 01 code)
                for (int i = 0; i + 2 < msg.length; i++) {
                    if ((msg[i] & 0xff) == 0x78) {
                        int j = i + 1;
                        j += (msg[j] & 0x80) != 0 ? 1 + (msg[j] & 0x7f) : 1;
                        if (j + 2 < msg.length && msg[j] == 0x0a && msg[j + 1] == 0x01) {
                            int code = msg[j + 2] & 0xff;
                            return code == 0 ? new Reply.StartTls()
                                    : new Reply.Refuse(p + "the server refused StartTLS (LDAP result code " + code + ") — enable TLS on the directory server"
                                            + " (slapd: olcTLSCertificateFile and olcTLSCertificateKeyFile)");
                        }
                    }
                }
                return new Reply.Refuse(p + "the answer is not an extended response — is this an LDAP port?");
            }
        };
    }

    private static Opening postgres(String p) {
        return new Opening() {
            @Override public byte[] first() { return PG_SSLREQUEST.clone(); }

            @Override public Reply onBytes(ByteBuffer in) {
                if (!in.hasRemaining()) return new Reply.Wait();
                byte b = in.get();
                if (b == 'S') return new Reply.StartTls();
                return new Reply.Refuse(p + (b == 'N' ? "the server does not accept TLS (it answered N to SSLRequest) — set ssl = on"
                        : "the server did not answer the SSLRequest — is this a PostgreSQL port?"));
            }
        };
    }

    private static Opening.Reply refuse(String p, String got, String expected, String step) {
        return new Opening.Reply.Refuse(p + "the server answered '" + printable(got) + "' to " + step + " (expected " + expected + ") — is this the right port and protocol?");
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }
}
