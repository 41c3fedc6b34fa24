package dev.certops.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.certops.config.Endpoint;
import dev.certops.crypto.CertificateBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/**
 * The scan's TLS 1.2 read without a TLS engine: the ClientHello is Java 17's, a real JDK server's first
 * flight yields the chain however it is cut into records and reads, and every answer off the plain path
 * is handed to JSSE — whose words the batch then reports, exactly as before.
 */
class ClearChainReaderTest {
    static final CertificateBuilder.Issued CA = CertificateBuilder.ca("Clear Read CA").build();
    static final CertificateBuilder.Issued LEAF = CertificateBuilder.leaf("clear.example.test").signedBy(CA).build();
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void theClientHelloIsJava17sTls12HelloWithARandomOfItsOwn() throws Exception {
        assumeTrue(Runtime.version().feature() == 17, "the hello is Java 17's; other Javas send another one");
        for (String sni : List.of("clear.example.test", "localhost", "127.0.0.1")) {
            byte[] jsse = jsseHello(sni);
            byte[] ours = ClearChainReader.clientHello(sni).orElseThrow();
            assertThat(ours).as(sni).hasSameSizeAs(jsse);
            assertThat(Arrays.copyOfRange(ours, 0, 11)).as(sni + ": up to the random").isEqualTo(Arrays.copyOfRange(jsse, 0, 11));
            assertThat(Arrays.copyOfRange(ours, 43, ours.length)).as(sni + ": after the random").isEqualTo(Arrays.copyOfRange(jsse, 43, jsse.length));
        }
    }

    @Test
    void aNameThatCannotBeSentAsSniIsLeftToJsse() {
        assertThat(ClearChainReader.clientHello("under_score..example")).isEmpty();
    }

    @Test
    void aRealServersFlightGivesTheChainHoweverItIsCut() throws Exception {
        byte[] flight = flightOf(ClearChainReader.clientHello("clear.example.test").orElseThrow());
        for (int recordSize : new int[] {16384, 100, 1}) {
            byte[] reframed = reframe(flight, recordSize);
            for (int readSize : new int[] {reframed.length, 7, 1}) {
                ClearChainReader reader = new ClearChainReader();
                ByteBuffer in = ByteBuffer.allocate(reframed.length);
                ClearChainReader.Step step = ClearChainReader.Step.MORE;
                for (int at = 0; at < reframed.length && step.needsMore(); at += readSize) {
                    in.put(reframed, at, Math.min(readSize, reframed.length - at));
                    in.flip();
                    step = reader.offer(in);
                    in.compact();
                }
                assertThat(step.chain()).as("records of " + recordSize + " bytes read " + readSize + " at a time")
                        .hasValueSatisfying(c -> assertThat(c).containsExactly(LEAF.certificate(), CA.certificate()));
            }
        }
    }

    @Test
    void aChainLargerThanTheFirstBuffersIsReadWholeByTheReaderAndByABatch() throws Exception {
        String[] names = new String[300];
        for (int i = 0; i < names.length; i++) names[i] = "name-" + i + ".large.example.test";
        CertificateBuilder.Issued large = CertificateBuilder.leaf(names).signedBy(CA).build();
        assertThat(large.certificate().getEncoded().length).as("more than a clear read's first buffers hold").isGreaterThan(8 * 1024);
        try (var server = new InProcessTlsServer(List.of(large), CA)) {
            byte[] flight = flightOf(server, ClearChainReader.clientHello(names[0]).orElseThrow());
            ClearChainReader reader = new ClearChainReader();
            ByteBuffer in = ByteBuffer.allocate(flight.length);
            ClearChainReader.Step step = ClearChainReader.Step.MORE;
            for (int at = 0; at < flight.length && step.needsMore(); at++) {
                in.put(flight[at]).flip();
                step = reader.offer(in);
                in.compact();
            }
            assertThat(step.chain()).hasValueSatisfying(c -> assertThat(c).containsExactly(large.certificate(), CA.certificate()));
            Endpoint e = new Endpoint("127.0.0.1", server.port(), names[0]);
            ServedChain served = TlsProbe.await(new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY).fetchAll(List.of(e)).get(e));
            assertThat(served.chain()).containsExactly(large.certificate(), CA.certificate());
            assertThat(served.protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void everyAnswerOffThePlainPathIsADeviation() throws Exception {
        byte[] flight = flightOf(ClearChainReader.clientHello("clear.example.test").orElseThrow());
        byte[] hello = firstMessage(flight);
        byte[] certificate = handshakeAfter(flight, hello.length);
        assertThat(deviates(record(21, new byte[] {2, 70}))).as("a fatal alert (protocol_version)").isTrue();
        assertThat(deviates(record(21, new byte[] {1, 112}))).as("a warning alert (unrecognized_name): JSSE decides").isTrue();
        assertThat(deviates("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).as("not TLS").isTrue();
        assertThat(deviates(record(22, withVersion(hello, 0x0301)))).as("a server choosing TLS 1.0").isTrue();
        assertThat(deviates(record(22, withSuite(hello, 0x0005)))).as("a suite that was not offered").isTrue();
        assertThat(deviates(record(22, withSuite(hello, 0x009c)))).as("RSA key exchange: left to the running Java, which may refuse it").isTrue();
        assertThat(deviates(record(22, concat(hello, new byte[] {14, 0, 0, 0})))).as("ServerHelloDone without a Certificate").isTrue();
        byte[] garbled = certificate.clone();
        garbled[12] ^= 0x55; // inside the leaf's DER
        assertThat(deviates(record(22, concat(hello, garbled)))).as("a certificate that does not parse").isTrue();
        assertThat(deviates(record(22, concat(hello, new byte[] {11, 0, 0, 3, 0, 0, 0})))).as("an empty chain").isTrue();
        assertThat(deviates(record(22, concat(hello, certificate)))).as("the plain path itself").isFalse();
    }

    @Test
    void aPortThatSpeaksSomethingElseFailsInJssesOwnWords() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!http.isClosed()) {
                    try (Socket s = http.accept(); OutputStream out = s.getOutputStream()) {
                        s.getInputStream().read();
                        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception closed) {
                        // the test is over
                    }
                }
            }, "http-only");
            t.setDaemon(true);
            t.start();
            Endpoint e = new Endpoint("127.0.0.1", http.getLocalPort(), "clear.example.test");
            TlsProbe probe = new TlsProbe(TIMEOUT, TIMEOUT, TlsProbe.Mode.CHAIN_ONLY);
            String batch = failure(() -> TlsProbe.await(probe.fetchAll(List.of(e)).get(e)));
            // JSSE's engine's own words (its blocking socket says "Unsupported or unrecognized SSL message"), never the clear read's
            assertThat(batch).isEqualTo("handshake: " + e + ": TLS handshake failed: Unrecognized SSL message, plaintext connection? — the port"
                    + " may not serve TLS, or only protocols/ciphers Java 17 refuses");
        }
    }

    private interface Probe { ServedChain read() throws Exception; }

    private static String failure(Probe p) {
        try {
            return "read " + p.read();
        } catch (ProbeException e) {
            return e.reason().label() + ": " + e.getMessage();
        } catch (Exception e) {
            return "unexpected " + e;
        }
    }

    private static boolean deviates(byte[] bytes) {
        ClearChainReader.Step s = new ClearChainReader().offer(ByteBuffer.wrap(bytes));
        assertThat(s.needsMore()).as("decided").isFalse();
        return s.deviated();
    }

    /** JSSE's first record for a TLS 1.2-only client, as TlsProbe configures its engine. */
    private static byte[] jsseHello(String sni) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine(sni, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        if (!TlsProbe.isIpLiteral(sni)) params.setServerNames(List.of(new SNIHostName(sni)));
        engine.setSSLParameters(params);
        engine.setEnabledProtocols(new String[] {"TLSv1.2"});
        ByteBuffer out = ByteBuffer.allocate(20_000);
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** What a JDK TLS server serving {@link #LEAF} answers to {@code hello}, up to its ServerHelloDone. */
    private static byte[] flightOf(byte[] hello) throws Exception {
        try (var server = new InProcessTlsServer(List.of(LEAF), CA)) {
            return flightOf(server, hello);
        }
    }

    private static byte[] flightOf(InProcessTlsServer server, byte[] hello) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.getOutputStream().write(hello);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream flight = new ByteArrayOutputStream();
            ByteArrayOutputStream handshake = new ByteArrayOutputStream();
            while (!endsWithServerHelloDone(handshake.toByteArray())) {
                byte[] header = in.readNBytes(5);
                byte[] body = in.readNBytes((header[3] & 0xff) << 8 | (header[4] & 0xff));
                assertThat(header[0]).as("a handshake record").isEqualTo((byte) 22);
                flight.write(header);
                flight.write(body);
                handshake.write(body);
            }
            return flight.toByteArray();
        }
    }

    private static boolean endsWithServerHelloDone(byte[] h) {
        return h.length >= 4 && h[h.length - 4] == 14 && h[h.length - 3] == 0 && h[h.length - 2] == 0 && h[h.length - 1] == 0;
    }

    /** The handshake bytes of {@code flight}, cut again into records of at most {@code size} bytes. */
    private static byte[] reframe(byte[] flight, int size) {
        byte[] h = handshakeAfter(flight, 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < h.length; at += size) out.writeBytes(record(22, Arrays.copyOfRange(h, at, Math.min(h.length, at + size))));
        return out.toByteArray();
    }

    /** The handshake bytes of every record of {@code flight}, from {@code skip} on. */
    private static byte[] handshakeAfter(byte[] flight, int skip) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        for (int at = 0; at < flight.length; ) {
            int length = (flight[at + 3] & 0xff) << 8 | (flight[at + 4] & 0xff);
            h.write(flight, at + 5, length);
            at += 5 + length;
        }
        byte[] all = h.toByteArray();
        return Arrays.copyOfRange(all, skip, all.length);
    }

    /** The first handshake message (the ServerHello), header included. */
    private static byte[] firstMessage(byte[] flight) {
        byte[] h = handshakeAfter(flight, 0);
        int length = (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
        byte[] hello = Arrays.copyOf(h, 4 + length);
        assertThat(hello[0]).as("a ServerHello").isEqualTo((byte) 2);
        return hello;
    }

    private static byte[] withVersion(byte[] serverHello, int version) {
        byte[] b = serverHello.clone();
        b[4] = (byte) (version >>> 8);
        b[5] = (byte) version;
        return b;
    }

    private static byte[] withSuite(byte[] serverHello, int suite) {
        byte[] b = serverHello.clone();
        int at = 4 + 2 + 32 + 1 + (b[4 + 2 + 32] & 0xff);
        b[at] = (byte) (suite >>> 8);
        b[at + 1] = (byte) suite;
        return b;
    }

    private static byte[] record(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) type).putShort((short) 0x0303).putShort((short) body.length).put(body);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
