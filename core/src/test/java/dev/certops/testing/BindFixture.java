package dev.certops.testing;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

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
 * primary zones whose apex NS is {@code ns1.ZONE} (127.0.0.1), with a fresh TSIG key that may
 * update records anywhere in them. Extra zone-file lines (CAA, CNAME, more NS, ...) can be given at
 * start.
 */
public final class BindFixture implements AutoCloseable {
    public static final String NAMED = "/usr/sbin/named";
    public static final String KEY_NAME = "certops-test-key";

    private final ManagedProcess process;
    private final String listenAddress;
    private final int port;
    private final String zone;
    private final String secret;

    private BindFixture(ManagedProcess process, String listenAddress, int port, String zone, String secret) {
        this.process = process;
        this.listenAddress = listenAddress;
        this.port = port;
        this.zone = zone;
        this.secret = secret;
    }

    /** True when named is installed here. */
    public static boolean available() { return Files.isExecutable(Path.of(NAMED)); }

    /** One zone a fixture serves: zone-file lines after SOA/NS/ns1. */
    public record Zone(String name, List<String> extraRecords) { }

    /**
     * Starts named in {@code dir} for {@code zone} (e.g. "example.test").
     *
     * @param extraRecords zone-file lines added after SOA/NS, e.g. {@code "@ IN CAA 0 issue \"letsencrypt.org\""}
     */
    public static BindFixture start(Path dir, String zone, List<String> extraRecords) throws IOException {
        return primary(dir, "127.0.0.1", ManagedProcess.freePort(), List.of(new Zone(zone, extraRecords)));
    }

    /**
     * A primary on {@code address:port} for {@code zones} (the first is {@link #zone()}); each apex has
     * NS {@code ns1.ZONE} (127.0.0.1), more NS lines can be extra records. (named listens only on
     * addresses an interface has, so on this machine only 127.0.0.1; PowerDNS binds 127.0.0.2 and up.)
     */
    public static BindFixture primary(Path dir, String address, int port, List<Zone> zones) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getEncoder().encodeToString(key);
        String d = dir.toAbsolutePath().toString();
        StringBuilder conf = new StringBuilder("key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + secret + "\"; };\n")
                .append(options(d, address, port));
        for (Zone z : zones) {
            Files.writeString(dir.resolve(z.name() + ".db"), "$TTL 60\n"
                    + "@ IN SOA ns1." + z.name() + ". hostmaster." + z.name() + ". 1 60 60 600 60\n"
                    + "@ IN NS ns1." + z.name() + ".\n"
                    + "ns1 IN A 127.0.0.1\n"
                    + String.join("\n", z.extraRecords()) + "\n");
            conf.append("zone \"").append(z.name()).append("\" { type primary; file \"").append(d).append('/').append(z.name())
                    .append(".db\"; notify no;")
                    .append(" update-policy { grant ").append(KEY_NAME).append(" zonesub ANY; }; };\n");
        }
        Files.writeString(dir.resolve("named.conf"), conf.toString());
        return run(dir, address, port, zones.get(0).name(), secret);
    }

    private static String options(String d, String address, int port) {
        return "options { directory \"" + d + "\"; pid-file \"" + d + "/named.pid\"; session-keyfile \"" + d + "/session.key\";\n"
                + "  listen-on port " + port + " { " + address + "; }; listen-on-v6 { none; }; recursion no; dnssec-validation no;\n"
                + "  };\n"
                + "controls { };\n";
    }

    private static BindFixture run(Path dir, String address, int port, String zone, String secret) throws IOException {
        String d = dir.toAbsolutePath().toString();
        ManagedProcess p = ManagedProcess.start("named", List.of(NAMED, "-g", "-4", "-c", d + "/named.conf"), dir.resolve("named.log"));
        BindFixture bind = new BindFixture(p, address, port, zone, secret);
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

    public InetSocketAddress address() {
        try {
            return new InetSocketAddress(InetAddress.getByName(listenAddress), port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "127.0.0.1:PORT" (its listen address). */
    public String hostPort() { return listenAddress + ":" + port; }

    public String zone() { return zone; }

    /** The TSIG key's secret in base64 (a throwaway key made for this instance). */
    public String tsigSecret() { return secret; }

    public String log() { return process.log(); }

    /**
     * Adds one record to {@code zone} by a TSIG-signed dynamic update, as an operator would with
     * nsupdate: {@code owner} absolute, e.g. {@code add("example.test", "_acme-challenge.www.example.test.", Type.CNAME, "x.auth.test.")}.
     */
    public void add(String zone, String owner, int type, String data) throws IOException {
        Update u = new Update(Name.fromString(zone + "."));
        u.add(Name.fromString(owner), type, 60, data);
        SimpleResolver r = new SimpleResolver(address());
        r.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, KEY_NAME, secret));
        r.setTCP(true);
        Message answer = r.send(u);
        if (answer.getRcode() != Rcode.NOERROR) throw new IOException("update of " + owner + " in " + zone + " refused: " + Rcode.string(answer.getRcode()));
    }

    @Override public void close() { process.close(); }
}
