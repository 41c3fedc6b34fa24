package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text upgrade a mail or directory server needs before TLS: SMTP ({@code EHLO}, {@code
 * STARTTLS}), IMAP ({@code STARTTLS}), POP3 ({@code STLS}), LDAP (the StartTLS extended operation) and
 * PostgreSQL (SSLRequest). Runs on the probe's connected socket, under its deadline; reads byte by
 * byte so that nothing of the TLS handshake is swallowed. Messages say what the server answered.
 */
final class StartTls {
    private static final int MAX_LINE = 4096;
    private static final int MAX_LINES = 100;
    /** LDAPMessage { messageID 1, ExtendedRequest { requestName 1.3.6.1.4.1.1466.20037 } }. */
    private static final byte[] LDAP_STARTTLS = {0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, (byte) 0x80, 0x16,
        '1', '.', '3', '.', '6', '.', '1', '.', '4', '.', '1', '.', '1', '4', '6', '6', '.', '2', '0', '0', '3', '7'};
    /** PostgreSQL SSLRequest: length 8, code 80877103. */
    private static final byte[] PG_SSLREQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};

    private StartTls() { }

    /** Does the endpoint's upgrade (nothing for TLS from the first byte); afterwards the socket is ready for the TLS handshake. */
    static void upgrade(Socket s, Endpoint e) throws IOException {
        if (e.starttls() == Endpoint.StartTls.NONE) return;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        String p = "STARTTLS " + e.starttls().label() + ": ";
        switch (e.starttls()) {
            case SMTP -> {
                expect(p, reply(in), "220", "greeting");
                send(out, "EHLO certops-scan\r\n");
                List<String> ehlo = replyLines(in);
                expect(p, ehlo.get(ehlo.size() - 1), "250", "EHLO");
                if (ehlo.stream().noneMatch(l -> l.length() > 4 && l.substring(4).trim().toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                    throw new IOException(p + "the server does not offer STARTTLS (its EHLO lists " + ehlo.stream().map(l -> l.length() > 4 ? l.substring(4) : l).toList()
                            + ") — enable TLS on it (postfix: smtpd_tls_security_level = may)");
                }
                send(out, "STARTTLS\r\n");
                expect(p, reply(in), "220", "STARTTLS");
            }
            case IMAP -> {
                expect(p, line(in), "* OK", "greeting");
                send(out, "c1 STARTTLS\r\n");
                String l;
                int n = 0;
                do {
                    l = line(in);
                } while (l.startsWith("*") && ++n < MAX_LINES);
                expect(p, l, "c1 OK", "STARTTLS");
            }
            case POP3 -> {
                expect(p, line(in), "+OK", "greeting");
                send(out, "STLS\r\n");
                expect(p, line(in), "+OK", "STLS");
            }
            case LDAP -> {
                out.write(LDAP_STARTTLS);
                out.flush();
                int code = ldapResultCode(in);
                if (code != 0) throw new IOException(p + "the server refused StartTLS (LDAP result code " + code + ") — enable TLS on the directory server");
            }
            case POSTGRES -> {
                out.write(PG_SSLREQUEST);
                out.flush();
                int b = in.read();
                if (b != 'S') {
                    throw new IOException(p + (b == 'N' ? "the server does not accept TLS (it answered N to SSLRequest) — set ssl = on"
                            : "the server did not answer the SSLRequest — is this a PostgreSQL port?"));
                }
            }
            default -> throw new IllegalStateException("no upgrade for " + e.starttls());
        }
    }

    private static void expect(String p, String got, String prefix, String step) throws IOException {
        if (!got.startsWith(prefix)) {
            throw new IOException(p + "the server answered '" + printable(got) + "' to " + step + " (expected " + prefix + ") — is this the right port and protocol?");
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The last line of an SMTP reply (continuation lines have a '-' after the code). */
    private static String reply(InputStream in) throws IOException {
        List<String> lines = replyLines(in);
        return lines.get(lines.size() - 1);
    }

    private static List<String> replyLines(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = line(in);
            lines.add(l);
        } while (l.length() > 3 && l.charAt(3) == '-' && lines.size() < MAX_LINES);
        return lines;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (b.size() >= MAX_LINE) throw new IOException("the server sent a line longer than " + MAX_LINE + " bytes before TLS");
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) throw new IOException("the server closed the connection before TLS");
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Reads one LDAPMessage (BER, definite lengths) and returns the resultCode of its ExtendedResponse. */
    private static int ldapResultCode(InputStream in) throws IOException {
        if (in.read() != 0x30) throw new IOException("STARTTLS ldap: the answer is not an LDAP message — is this an LDAP port?");
        int len = berLength(in);
        byte[] msg = in.readNBytes(len);
        if (msg.length < len) throw new IOException("STARTTLS ldap: the server closed the connection mid-answer");
        // messageID (02 01 01), then [APPLICATION 24] ExtendedResponse (78 len), then resultCode ENUMERATED (0a 01 code)
        for (int i = 0; i + 2 < msg.length; i++) {
            if ((msg[i] & 0xff) == 0x78) {
                int j = i + 1;
                j += (msg[j] & 0x80) != 0 ? 1 + (msg[j] & 0x7f) : 1;
                if (j + 2 < msg.length && msg[j] == 0x0a && msg[j + 1] == 0x01) return msg[j + 2] & 0xff;
            }
        }
        throw new IOException("STARTTLS ldap: the answer is not an extended response");
    }

    private static int berLength(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new IOException("STARTTLS ldap: the server closed the connection");
        if ((b & 0x80) == 0) return b;
        int n = b & 0x7f;
        if (n > 3) throw new IOException("STARTTLS ldap: an answer too long to be StartTLS's");
        int len = 0;
        for (int i = 0; i < n; i++) len = (len << 8) | in.read();
        return len;
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 120 ? t.substring(0, 120) + "…" : t;
    }
}
