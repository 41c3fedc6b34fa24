package dev.certops.sshdeploy;

import dev.certops.acme.CertificateVersions;
import dev.certops.config.CertificateConfig;
import dev.certops.config.Endpoint;
import dev.certops.config.HostConfig;
import dev.certops.config.Workspace;
import dev.certops.crypto.KeyType;
import dev.certops.crypto.PemReader;
import dev.certops.crypto.SecretStore;
import dev.certops.deploy.DeployBundle;
import dev.certops.deploy.DeployException;
import dev.certops.deploy.DeploySettings;
import dev.certops.deploy.Deployer;
import dev.certops.deploy.HostConnector;
import dev.certops.deploy.HostConnectors;
import dev.certops.history.HistoryStore;
import dev.certops.history.SqliteHistoryStore;
import dev.certops.scan.TlsProbe;
import dev.certops.sshdeploy.connection.SshOptions;
import dev.certops.sshdeploy.connection.SshSessions;
import dev.certops.testing.FreePort;
import dev.certops.testing.NginxFixture;
import dev.certops.testing.Poll;
import dev.certops.testing.SshdFixture;
import dev.certops.testing.TestTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One real sshd and one real nginx on loopback, a workspace, and host entries that each have their
 * own certDir and nginx server block (the "remote" hosts are this machine, reached over SSH).
 * Every host starts with an old certificate live in an initial release.
 */
final class DeployLab implements AutoCloseable {
    static final String INITIAL_RELEASE = "20200101T000000000Z-01";
    private final Path dir;
    private final SshdFixture sshd;
    private final NginxFixture nginx;
    private final Workspace ws;
    private final HistoryStore history;
    private final TestTls old;
    private final Map<String, HostConfig> hosts = new LinkedHashMap<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Path> certDirs = new LinkedHashMap<>();

    private DeployLab(Path dir, SshdFixture sshd, NginxFixture nginx, Workspace ws, HistoryStore history, TestTls old) {
        this.dir = dir;
        this.sshd = sshd;
        this.nginx = nginx;
        this.ws = ws;
        this.history = history;
        this.old = old;
    }

    static DeployLab start(Path dir) throws Exception {
        SshdFixture sshd = SshdFixture.start(dir.resolve("sshd"));
        Workspace ws = new Workspace(dir.resolve("ws"));
        Files.createDirectories(ws.stateDir()); // the history's head anchor is kept there from the first event on
        sshd.writeKnownHosts(ws.root().resolve("ssh/known_hosts"));
        return new DeployLab(dir, sshd, NginxFixture.in(dir.resolve("nginx")), ws,
                SqliteHistoryStore.open(ws.historyFile(), "tester@lab"), TestTls.create(dir.resolve("tls-old")));
    }

    SshdFixture sshd() { return sshd; }
    HistoryStore history() { return history; }

    void addHost(String id) throws IOException { addHosts(List.of(id)); }

    void addHosts(List<String> ids) throws IOException {
        for (String id : ids) {
            Path certDir = certDir(id);
            seedRelease(certDir);
            add(id, certDir.resolve("live/fullchain.pem"), certDir.resolve("live/privkey.pem"));
        }
        startOrReload();
    }

    /** A host whose certDir is {@code certDir} (a small disk the test mounts there, say), seeded and served like the others. */
    void addHostIn(String id, Path certDir) throws IOException {
        certDirs.put(id, certDir);
        addHost(id);
    }

    /**
     * certops.yaml for these hosts (SSH, the lab's key and known_hosts, their test and reload) and one certificate "api"
     * deployed to the first host and proved on its endpoint.
     */
    String configYaml() {
        List<String> y = new ArrayList<>(List.of("hosts:"));
        for (HostConfig h : hosts()) {
            y.addAll(List.of("  - id: " + h.id(), "    address: " + h.address(), "    port: " + h.port(), "    user: " + h.user(),
                    "    identity: " + h.identity().orElseThrow(), "    knownHosts: ssh/known_hosts", "    certDir: " + h.certDir(),
                    "    test: \"" + h.testCommand() + "\"", "    reload: \"" + h.reloadCommand() + "\""));
        }
        HostConfig h = hosts().get(0);
        y.addAll(List.of("certificates:", "  - id: api", "    names: [localhost]", "    deploy: { waves: [[" + h.id() + "]] }",
                "    endpoints: [\"127.0.0.1:" + endpoint(h.id()).port() + "\"]", ""));
        return String.join("\n", y);
    }

    /** A host whose nginx block reads fixed files outside certDir: a deploy changes nothing it serves. */
    void addHostServingElsewhere(String id) throws IOException {
        seedRelease(certDir(id));
        Path fixed = dir.resolve("hosts").resolve(id).resolve("fixed");
        Files.createDirectories(fixed);
        Files.copy(certDir(id).resolve("live/fullchain.pem"), fixed.resolve("fullchain.pem"));
        Files.copy(certDir(id).resolve("live/privkey.pem"), fixed.resolve("privkey.pem"));
        add(id, fixed.resolve("fullchain.pem"), fixed.resolve("privkey.pem"));
        startOrReload();
    }

    /**
     * A host entry with {@code baseDir:} and one nginx server block per certificate, each reading
     * BASE/CERT_ID/live (seeded with the old certificate); endpoints are keyed by certificate id.
     */
    HostConfig addBaseDirHost(String id, List<String> certificateIds) throws IOException {
        Path base = dir.resolve("hosts").resolve(id).resolve("base");
        for (String c : certificateIds) {
            seedRelease(base.resolve(c));
            int port = FreePort.tcp();
            nginx.addServer("localhost", port, base.resolve(c).resolve("live/fullchain.pem"), base.resolve(c).resolve("live/privkey.pem"));
            endpoints.put(c, new Endpoint("127.0.0.1", port, "localhost"));
        }
        HostConfig h = new HostConfig(id, false, "127.0.0.1", sshd.port(), sshd.user(), Optional.of(sshd.userKey().toString()),
                Optional.of("ssh/known_hosts"), Optional.empty(), "nginx", Optional.of(nginx.testCommand()), Optional.of(nginx.reloadCommand()),
                base.toString(), Optional.empty(), 5).withBaseDir(base.toString());
        hosts.put(id, h);
        startOrReload();
        return h;
    }

    /**
     * As {@link #addBaseDirHost}, but the SSH user is {@code user} (a real non-root account) with
     * {@code sudo: true}: the base folder is root's (0755), so everything goes through sudo -n.
     * The lab's folders are opened up (0755) so sshd can read the authorized keys as that user.
     */
    HostConfig addSudoHost(String id, String user, List<String> certificateIds) throws IOException {
        HostConfig h = addBaseDirHost(id, certificateIds);
        for (Path p = sshd.dir(); p != null && p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p = Path.of(h.certDir()); p != null && p.startsWith(dir); p = p.getParent()) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        HostConfig asUser = new HostConfig(id, false, h.address(), h.port(), user, h.identity(), h.knownHosts(), h.jump(), h.service(),
                h.test(), h.reload(), h.certDir(), h.webroot(), h.keepReleases(), h.baseDir(), true);
        hosts.put(id, asUser);
        return asUser;
    }

    /**
     * A base-dir host entry for a server the test runs itself (Apache, HAProxy, Postfix, Dovecot…):
     * each certificate's folder seeded with the old certificate, the server's own test and reload.
     */
    HostConfig addServerHost(String id, String service, List<String> certificateIds, String test, String reload) throws IOException {
        Path base = dir.resolve("hosts").resolve(id).resolve("base");
        for (String c : certificateIds) seedRelease(base.resolve(c));
        HostConfig h = new HostConfig(id, false, "127.0.0.1", sshd.port(), sshd.user(), Optional.of(sshd.userKey().toString()),
                Optional.of("ssh/known_hosts"), Optional.empty(), service, Optional.of(test), Optional.of(reload),
                base.toString(), Optional.empty(), 5).withBaseDir(base.toString());
        hosts.put(id, h);
        return h;
    }

    /**
     * A host laid out by hand before certops: BASE/CERT/live -> releases/0-initial (not a certops
     * release name), served by its own nginx block. With {@code plain}, no live link at all: the
     * server reads plain files in hosts/ID/plain/ (returned), the certificate's folder is empty.
     */
    Path addHandMadeHost(String id, String certificateId, boolean plain) throws IOException {
        Path base = dir.resolve("hosts").resolve(id).resolve("base");
        Path folder = base.resolve(certificateId);
        Path files;
        if (plain) {
            files = Files.createDirectories(dir.resolve("hosts").resolve(id).resolve("plain"));
            Files.createDirectories(folder);
        } else {
            files = Files.createDirectories(folder.resolve("releases").resolve("0-initial"));
            Files.createSymbolicLink(folder.resolve("live"), Path.of("releases", "0-initial"));
        }
        byte[] leaf = Files.readAllBytes(old.certPem());
        Files.write(files.resolve("fullchain.pem"), new DeployBundle("api", "1", leaf, Files.readAllBytes(old.caPem()), new byte[0]).fullchainPem());
        Files.copy(old.keyPem(), files.resolve("privkey.pem"));
        Path served = plain ? files : folder.resolve("live");
        int port = FreePort.tcp();
        nginx.addServer("localhost", port, served.resolve("fullchain.pem"), served.resolve("privkey.pem"));
        endpoints.put(certificateId, new Endpoint("127.0.0.1", port, "localhost"));
        hosts.put(id, new HostConfig(id, false, "127.0.0.1", sshd.port(), sshd.user(), Optional.of(sshd.userKey().toString()),
                Optional.of("ssh/known_hosts"), Optional.empty(), "nginx", Optional.of(nginx.testCommand()), Optional.of(nginx.reloadCommand()),
                base.toString(), Optional.empty(), 5).withBaseDir(base.toString()));
        startOrReload();
        return files;
    }

    /** Registers the endpoint a certificate is proved on (see {@link #certificateServedAt}). */
    void servedAt(String certificateId, int port) { endpoints.put(certificateId, new Endpoint("127.0.0.1", port, "localhost")); }

    /** The lab's folder for one certificate on a base-dir host. */
    Path certFolder(String hostId, String certificateId) {
        return dir.resolve("hosts").resolve(hostId).resolve("base").resolve(certificateId);
    }

    /** A certificate deployed to {@code waves}, proved on the endpoint keyed by its own id (see {@link #addBaseDirHost}). */
    CertificateConfig certificateServedAt(String id, List<List<String>> waves) {
        return new CertificateConfig(id, List.of("localhost"), KeyType.values()[0], Optional.empty(), List.of(), waves,
                endpoints.containsKey(id) ? List.of(endpoints.get(id)) : List.of(),
                Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /** The deployer that proves each certificate on its own endpoints (every endpoint is on this machine). */
    Deployer deployerByCertificate() {
        return new Deployer(new HostConnectors(List.of(connector())), Optional.of(history), TlsProbe.withDefaults(), Clock.systemUTC(),
                DeploySettings.DEFAULT, (host, cert) -> cert.endpoints(), name -> Files.readString(ws.secretsDir().resolve(name)).strip().toCharArray());
    }

    /** Connections as the configured host entries say (sudo included), for hosts check. */
    HostConnectors connectors() { return new HostConnectors(List.of(connector())); }

    /** The release live for one certificate under a base-dir host. */
    String liveRelease(String hostId, String certificateId) throws IOException {
        return Files.readSymbolicLink(dir.resolve("hosts").resolve(hostId).resolve("base").resolve(certificateId).resolve("live")).getFileName().toString();
    }

    /** Asserts the certificate's own endpoint (see {@link #addBaseDirHost}) serves {@code sha256}. */
    void awaitServedAt(String certificateId, String sha256) { awaitServed(certificateId, sha256); }

    DeployBundle newVersion(String certificateId, String label) throws IOException {
        DeployBundle b = newVersion(certificateId + "-" + label);
        return new DeployBundle(certificateId, label, b.leafPem(), b.chainPem(), b.keyPem());
    }

    private void add(String id, Path cert, Path key) {
        int port = FreePort.tcp();
        nginx.addServer("localhost", port, cert, key);
        hosts.put(id, new HostConfig(id, false, "127.0.0.1", sshd.port(), sshd.user(), Optional.of(sshd.userKey().toString()),
                Optional.of("ssh/known_hosts"), Optional.empty(), "nginx", Optional.of(nginx.testCommand()), Optional.of(nginx.reloadCommand()),
                certDir(id).toString(), Optional.empty(), 5));
        endpoints.put(id, new Endpoint("127.0.0.1", port, "localhost"));
    }

    private void startOrReload() throws IOException {
        if (nginx.running()) nginx.reload();
        else nginx.start();
    }

    private Path certDir(String id) { return certDirs.getOrDefault(id, dir.resolve("hosts").resolve(id).resolve("certs")); }

    private void seedRelease(Path certDir) throws IOException {
        Path rel = certDir.resolve("releases").resolve(INITIAL_RELEASE);
        Files.createDirectories(rel);
        byte[] leaf = Files.readAllBytes(old.certPem());
        byte[] chain = Files.readAllBytes(old.caPem());
        Files.write(rel.resolve("cert.pem"), leaf);
        Files.write(rel.resolve("chain.pem"), chain);
        Files.write(rel.resolve("fullchain.pem"), new DeployBundle("api", "1", leaf, chain, new byte[0]).fullchainPem());
        Files.copy(old.keyPem(), rel.resolve("privkey.pem"));
        Files.write(rel.resolve("combined.pem"), (Files.readString(rel.resolve("fullchain.pem")) + Files.readString(old.keyPem())).getBytes(StandardCharsets.US_ASCII));
        Files.createSymbolicLink(certDir.resolve("live"), Path.of("releases", INITIAL_RELEASE));
    }

    List<HostConfig> hosts() { return List.copyOf(hosts.values()); }
    Endpoint endpoint(String id) { return endpoints.get(id); }
    Workspace workspace() { return ws; }

    /** Stores a version with the ACME helper's storage (certs/&lt;id&gt;/&lt;n&gt;/ + version.json, key in secrets/); returns n. */
    int store(DeployBundle b) throws Exception {
        var chain = PemReader.readCertificates(new String(b.fullchainPem(), StandardCharsets.US_ASCII), "fullchain");
        var key = PemReader.readPrivateKey(new String(b.keyPem(), StandardCharsets.US_ASCII), "key", Optional.empty());
        return new CertificateVersions(ws, new SecretStore(ws.secretsDir(), Optional.empty())).store(b.certificateId(), chain, key, "test-ca", false, Instant.now()).number();
    }

    HostConfig host(String id) { return hosts.get(id); }

    CertificateConfig certificate(List<List<String>> waves) { return certificateWithId("api", waves); }

    CertificateConfig certificateWithId(String id, List<List<String>> waves) {
        List<Endpoint> eps = waves.stream().flatMap(List::stream).map(endpoints::get).filter(e -> e != null).toList();
        return new CertificateConfig(id, List.of("localhost"), KeyType.values()[0], Optional.empty(), List.of(), waves, eps,
                Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    DeployBundle newVersion(String label) throws IOException {
        TestTls t = TestTls.create(dir.resolve("tls-" + label));
        return new DeployBundle("api", label, Files.readAllBytes(t.certPem()), Files.readAllBytes(t.caPem()), Files.readAllBytes(t.keyPem()));
    }

    DeployBundle versionWithForeignKey(String label) throws IOException {
        DeployBundle b = newVersion(label);
        return new DeployBundle("api", label, b.leafPem(), b.chainPem(), Files.readAllBytes(old.keyPem()));
    }

    String oldSha256() throws Exception {
        return new DeployBundle("api", "1", Files.readAllBytes(old.certPem()), new byte[0], new byte[0]).leafSha256();
    }

    /** Asserts that the host's endpoint serves {@code sha256} (polling: an old nginx worker may answer for a moment). */
    void awaitServed(String id, String sha256) {
        Poll.until(Duration.ofSeconds(10), () -> sha256.equals(DeployBundle.sha256Hex(TlsProbe.withDefaults().fetch(endpoints.get(id)).leaf())),
                id + " serving SHA-256 " + sha256);
    }

    String liveRelease(String id) throws IOException {
        return Files.readSymbolicLink(certDir(id).resolve("live")).getFileName().toString();
    }

    List<String> releases(String id) throws IOException {
        try (Stream<Path> s = Files.list(certDir(id).resolve("releases"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    SshHostConnector connector() {
        return new SshHostConnector(new SshSessions(ws, SshOptions.defaults(p -> Optional.empty()), id -> Optional.ofNullable(hosts.get(id))));
    }

    Deployer deployer(DeploySettings settings) { return deployer(settings, connector()); }

    /** The SSH connection is cut (its sshd processes killed) just before the {@code n}th file write. */
    Deployer deployerKillingSshdOnWrite(int n) {
        return deployerFaultingOnWrite(n, true, UnaryOperator.identity());
    }

    /** The {@code n}th file write arrives with one bit flipped, as a bad disk or a broken proxy would leave it. */
    Deployer deployerDamagingWrite(int n) {
        return deployerFaultingOnWrite(n, false, b -> {
            byte[] copy = b.clone();
            copy[copy.length / 2] ^= 0x01;
            return copy;
        });
    }

    private Deployer deployerFaultingOnWrite(int n, boolean cut, UnaryOperator<byte[]> damage) {
        SshHostConnector ssh = connector();
        HostConnector faulty = new HostConnector() {
            @Override public boolean supports(HostConfig host) { return true; }
            @Override public dev.certops.deploy.HostChannel open(HostConfig host) throws DeployException {
                return new FaultInjectingChannel(ssh.open(host), n, cut ? this::killSessions : () -> { }, damage);
            }
            private void killSessions() {
                try {
                    long pid = Long.parseLong(Files.readString(sshd.dir().resolve("sshd.pid")).strip());
                    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        return deployer(DeploySettings.DEFAULT, faulty);
    }

    private Deployer deployer(DeploySettings settings, HostConnector connector) {
        return new Deployer(new HostConnectors(List.of(connector)), Optional.of(history), TlsProbe.withDefaults(), Clock.systemUTC(),
                settings, (host, cert) -> cert.endpoints().contains(endpoints.get(host.id())) ? List.of(endpoints.get(host.id())) : List.of());
    }

    void breakNginxConfig() throws IOException {
        nginx.writeConfig(nginx.renderConfig() + "this is not an nginx directive;\n");
    }

    void writeKnownHosts(String content) throws IOException {
        Files.writeString(ws.root().resolve("ssh/known_hosts"), content.isEmpty() ? "" : content + "\n");
    }

    /** The server's known_hosts line with the host name hashed (ssh-keygen -H). */
    String hashedKnownHostsLine() throws Exception {
        Path f = dir.resolve("hashed_known_hosts");
        Files.writeString(f, sshd.knownHostsLine() + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", f.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IOException("ssh-keygen -H failed");
        String line = Files.readAllLines(f).stream().filter(l -> l.startsWith("|1|")).findFirst().orElseThrow();
        return line;
    }

    HostConfig withCertDir(HostConfig h, String certDir) {
        return new HostConfig(h.id(), h.drill(), h.address(), h.port(), h.user(), h.identity(), h.knownHosts(), h.jump(), h.service(),
                h.test(), h.reload(), certDir, h.webroot(), h.keepReleases());
    }

    HostConfig withId(HostConfig h, String id) {
        return new HostConfig(id, h.drill(), h.address(), h.port(), h.user(), h.identity(), h.knownHosts(), h.jump(), h.service(),
                h.test(), h.reload(), h.certDir(), h.webroot(), h.keepReleases());
    }

    @Override
    public void close() {
        nginx.close();
        sshd.close();
        try { history.close(); } catch (Exception ignored) { /* test teardown */ }
    }

    List<String> ids() { return new ArrayList<>(hosts.keySet()); }
}
