package dev.certops.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A private BIND 9 ({@code named -g}, Debian package {@code bind9}) on a free loopback port, serving
 * one primary zone whose apex NS is {@code ns1.ZONE} (127.0.0.1), with a fresh TSIG key that may
 * update TXT records anywhere in the zone. Extra zone-file lines (CAA, ...) can be given at start.
 */
public final class BindFixture implements AutoCloseable {
    public static final String NAMED = "/usr/sbin/named";
    public static final String KEY_NAME = "certops-test-key";

    private final ManagedProcess process;
    private final int port;
    private final String zone;
    private final String secret;

    private BindFixture(ManagedProcess process, int port, String zone, String secret) {
        this.process = process;
        this.port = port;
        this.zone = zone;
        this.secret = secret;
    }

    /** True when named is installed here. */
    public static boolean available() { return Files.isExecutable(Path.of(NAMED)); }

    /**
     * Starts named in {@code dir} for {@code zone} (e.g. "example.test").
     *
     * @param extraRecords zone-file lines added after SOA/NS, e.g. {@code "@ IN CAA 0 issue \"letsencrypt.org\""}
     */
    public static BindFixture start(Path dir, String zone, List<String> extraRecords) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        int port = ManagedProcess.freePort();
        String d = dir.toAbsolutePath().toString();
        Files.writeString(dir.resolve("zone.db"), "$TTL 60\n"
                + "@ IN SOA ns1." + zone + ". hostmaster." + zone + ". 1 60 60 600 60\n"
                + "@ IN NS ns1." + zone + ".\n"
                + "ns1 IN A 127.0.0.1\n"
                + String.join("\n", extraRecords) + "\n");
        Files.writeString(dir.resolve("named.conf"), "key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + secret + "\"; };\n"
                + "options { directory \"" + d + "\"; pid-file \"" + d + "/named.pid\"; session-keyfile \"" + d + "/session.key\";\n"
                + "  listen-on port " + port + " { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; dnssec-validation no; };\n"
                + "controls { };\n"
                + "zone \"" + zone + "\" { type primary; file \"" + d + "/zone.db\"; update-policy { grant " + KEY_NAME + " zonesub TXT; }; };\n");
        ManagedProcess p = ManagedProcess.start("named", List.of(NAMED, "-g", "-4", "-c", d + "/named.conf"), dir.resolve("named.log"));
        BindFixture bind = new BindFixture(p, port, zone, secret);
        try {
            p.awaitReady(Duration.ofSeconds(15), bind::answersSoa);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return bind;
    }

    private boolean answersSoa() {
        try {
            SimpleResolver r = new SimpleResolver(address());
            r.setTimeout(Duration.ofMillis(300));
            Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)));
            return m.getRcode() == Rcode.NOERROR && !m.getSection(1).isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    public int port() { return port; }

    public InetSocketAddress address() { return new InetSocketAddress(InetAddress.getLoopbackAddress(), port); }

    /** "127.0.0.1:PORT". */
    public String hostPort() { return "127.0.0.1:" + port; }

    public String zone() { return zone; }

    /** The TSIG key's secret in base64 (a throwaway key made for this instance). */
    public String tsigSecret() { return secret; }

    public String log() { return process.log(); }

    @Override public void close() { process.close(); }
}
