package dev.certops.scan;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SNIHostName;

/**
 * A scan's TLS 1.2 probe without a TLS engine (ADR 0004, amendment): it sends the very ClientHello
 * Java 17's client sends when it offers TLS 1.2 alone (same suites, extensions and order; its own
 * random and SNI) and reads the server's first flight, which travels in clear, until the Certificate
 * message. That is all {@link TlsProbe.Mode#CHAIN_ONLY} ever read through JSSE, which then abandons
 * the handshake; here no handshake state, no key shares and no exceptions are made per endpoint, and
 * the TLS engine is not even loaded when every endpoint answers plainly.
 *
 * <p>It reads only the plain path: a ServerHello for TLS 1.2 with a suite, compression and extensions
 * that were offered, then a Certificate message whose certificates parse. Anything else — an alert, a
 * server choosing another version, an unexpected message, bytes that are not TLS, a connection closed
 * early — is {@link Step#deviated()}: the probe then asks JSSE exactly as before, so every verdict,
 * fallback (TLS 1.3, TLS 1.0/1.1) and error message stays JSSE's. Not thread-safe: one per connection.
 */
final class ClearChainReader {
    /** Java 17's TLS 1.2-only ClientHello body after the random: empty session id, 34 suites, no compression. */
    private static final byte[] SUITES_AND_COMPRESSION = HexFormat.of().parseHex(
            "00" + "0044"
            + "c02cc02bcca9c030cca8c02f009fccaa00a3009e00a2c024c028c023c027006b006a00670040c00ac014c009c0130039003800330032009d009c003d003c0035002f00ff"
            + "0100");
    /** The extensions after server_name, in Java 17's order: status_request, supported_groups, ec_point_formats, status_request_v2,
     * extended_master_secret, session_ticket, signature_algorithms, supported_versions (1.2 only), signature_algorithms_cert. */
    private static final byte[] EXTENSIONS_AFTER_SNI = HexFormat.of().parseHex(
            "000500050100000000"
            + "000a00160014001d001700180019001e01000101010201030104"
            + "000b00020100"
            + "00110009000702000400000000"
            + "00170000"
            + "00230000"
            + "000d002c002a040305030603080708080804080508060809080a080b0401050106010402030303010302020302010202"
            + "002b0003020303"
            + "0032002c002a040305030603080708080804080508060809080a080b0401050106010402030303010302020302010202");
    /**
     * RSA key exchange: offered because Java 17 offers it, but read through the running Java's own engine when a
     * server chooses it — Java 24 and later refuse it, and the scan must not read what its client would refuse.
     */
    private static final int[] RSA_KEY_EXCHANGE = {0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035};
    /** Extensions a server may answer with: those offered, and renegotiation_info (offered as the SCSV suite). */
    private static final int[] ANSWERABLE = {0x0000, 0x0005, 0x000a, 0x000b, 0x000d, 0x0011, 0x0017, 0x0023, 0x002b, 0x0032, 0xff01};
    /** A fatal certificate_unknown alert: what the JSSE probe leaves the server with when it abandons the handshake. */
    static final byte[] ABANDON = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x2e};
    private static final int HANDSHAKE = 22;
    private static final int SERVER_HELLO = 2;
    private static final int CERTIFICATE = 11;
    private static final int MAX_FLIGHT = 256 * 1024;

    /** What the bytes so far amount to. */
    record Step(Optional<List<X509Certificate>> chain, boolean deviated) {
        static final Step MORE = new Step(Optional.empty(), false);
        static final Step DEVIATED = new Step(Optional.empty(), true);

        boolean needsMore() { return chain.isEmpty() && !deviated; }
    }

    private ByteBuffer handshake = ByteBuffer.allocate(2 * 1024);
    private boolean serverHelloRead;

    /**
     * The ClientHello record for this SNI ({@code null} or an IP literal: none, as JSSE sends none),
     * or empty when the name cannot be sent as SNI (the JSSE probe then says why).
     */
    static Optional<byte[]> clientHello(String sni) {
        byte[] name = null;
        if (sni != null && !TlsProbe.isIpLiteral(sni)) {
            try {
                name = new SNIHostName(sni).getEncoded();
            } catch (IllegalArgumentException notAHostName) {
                return Optional.empty();
            }
        }
        int sniLength = name == null ? 0 : 9 + name.length;
        int extensions = sniLength + EXTENSIONS_AFTER_SNI.length;
        int body = 2 + 32 + SUITES_AND_COMPRESSION.length + 2 + extensions;
        ByteBuffer b = ByteBuffer.allocate(5 + 4 + body);
        b.put((byte) HANDSHAKE).putShort((short) 0x0303).putShort((short) (4 + body));
        b.put((byte) 1).put((byte) (body >>> 16)).putShort((short) body);
        b.putShort((short) 0x0303);
        byte[] random = new byte[32]; // the handshake is abandoned before any key is derived from it
        ThreadLocalRandom.current().nextBytes(random);
        b.put(random).put(SUITES_AND_COMPRESSION).putShort((short) extensions);
        if (name != null) {
            b.putShort((short) 0).putShort((short) (name.length + 5)).putShort((short) (name.length + 3)).put((byte) 0).putShort((short) name.length).put(name);
        }
        b.put(EXTENSIONS_AFTER_SNI);
        return Optional.of(b.array());
    }

    /**
     * Consumes the complete records in {@code in} (flipped; what is left of a partial record stays),
     * and says whether the chain is read, more bytes are needed, or the server left the plain path.
     */
    Step offer(ByteBuffer in) {
        while (in.remaining() >= 5) {
            int type = in.get(in.position()) & 0xff;
            int version = in.getShort(in.position() + 1) & 0xffff;
            int length = in.getShort(in.position() + 3) & 0xffff;
            if (type != HANDSHAKE || version >>> 8 != 3 || length == 0 || length > 16384) return Step.DEVIATED;
            if (in.remaining() < 5 + length) break;
            if (length > handshake.remaining()) {
                if (handshake.position() + length > MAX_FLIGHT) return Step.DEVIATED;
                grow(length);
            }
            in.position(in.position() + 5);
            handshake.put(handshake.position(), in, in.position(), length);
            handshake.position(handshake.position() + length);
            in.position(in.position() + length);
            Step s = messages();
            if (!s.needsMore()) return s;
        }
        return Step.MORE;
    }

    /** The handshake messages complete so far: a ServerHello, then the Certificate message. */
    private Step messages() {
        handshake.flip();
        try {
            while (handshake.remaining() >= 4) {
                int at = handshake.position();
                int type = handshake.get(at) & 0xff;
                int length = (handshake.get(at + 1) & 0xff) << 16 | (handshake.getShort(at + 2) & 0xffff);
                if (length > MAX_FLIGHT) return Step.DEVIATED;
                if (handshake.remaining() < 4 + length) return Step.MORE;
                ByteBuffer body = handshake.slice(at + 4, length);
                handshake.position(at + 4 + length);
                if (!serverHelloRead) {
                    if (type != SERVER_HELLO || !plainServerHello(body)) return Step.DEVIATED;
                    serverHelloRead = true;
                } else {
                    if (type != CERTIFICATE) return Step.DEVIATED;
                    return chain(body).map(c -> new Step(Optional.of(c), false)).orElse(Step.DEVIATED);
                }
            }
            return Step.MORE;
        } catch (RuntimeException malformed) { // lengths that point outside their message
            return Step.DEVIATED;
        } finally {
            handshake.compact();
        }
    }

    /** TLS 1.2 with a suite, compression and extensions this hello offered: what JSSE goes on with. */
    private static boolean plainServerHello(ByteBuffer b) {
        if ((b.getShort() & 0xffff) != 0x0303) return false;
        b.position(b.position() + 32);
        int session = b.get() & 0xff;
        b.position(b.position() + session);
        int suite = b.getShort() & 0xffff;
        if (suite == 0x00ff || !offered(suite) || contains(RSA_KEY_EXCHANGE, suite)) return false;
        if (b.get() != 0) return false;
        if (!b.hasRemaining()) return true;
        int extensions = b.getShort() & 0xffff;
        if (extensions != b.remaining()) return false;
        while (b.hasRemaining()) {
            int type = b.getShort() & 0xffff;
            int length = b.getShort() & 0xffff;
            if (!contains(ANSWERABLE, type)) return false;
            if (type == 0x002b && (length != 2 || (b.getShort(b.position()) & 0xffff) != 0x0303)) return false;
            b.position(b.position() + length);
        }
        return true;
    }

    private static boolean offered(int suite) {
        for (int i = 3; i + 1 < SUITES_AND_COMPRESSION.length - 2; i += 2) {
            if (((SUITES_AND_COMPRESSION[i] & 0xff) << 8 | (SUITES_AND_COMPRESSION[i + 1] & 0xff)) == suite) return true;
        }
        return false;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) if (v == value) return true;
        return false;
    }

    /** The certificates of a Certificate message, parsed as JSSE parses them (the JDK's X.509 factory caches each encoding). */
    private static Optional<List<X509Certificate>> chain(ByteBuffer b) {
        int total = (b.get() & 0xff) << 16 | (b.getShort() & 0xffff);
        if (total != b.remaining() || total == 0) return Optional.empty();
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (b.hasRemaining()) {
                int length = (b.get() & 0xff) << 16 | (b.getShort() & 0xffff);
                byte[] der = new byte[length];
                b.get(der);
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | ClassCastException unreadable) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(out));
    }

    private void grow(int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(handshake.capacity() * 2, handshake.position() + atLeast));
        handshake.flip();
        bigger.put(handshake);
        handshake = bigger;
    }
}
