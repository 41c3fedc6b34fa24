package dev.certops.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateBuilder;
import dev.certops.crypto.PemWriter;
import dev.certops.crypto.TrustAnchors;
import dev.certops.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A complete local estate to learn and rehearse on, touching nothing real: two Pebble CAs (primary
 * and secondary) with challtestsrv for DNS-01, a local sshd with throwaway keys, nginx serving three
 * certificates on loopback ports (one healthy, one expiring in 5 days, one diverged — a reload that
 * never happened), and a workspace configured for all of it. {@code sandbox.json} records the
 * process ids, so {@link #down} stops exactly what {@link #up} started.
 */
public final class Sandbox {
    private static final ObjectMapper JSON = Json.indented();
    private static final String MARKER = "sandbox.json";
    private final Path dir;
    private final Map<String, Object> state = new LinkedHashMap<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();

    public Sandbox(Path dir) { this.dir = dir.toAbsolutePath(); }

    public Path dir() { return dir; }
    public Workspace workspace() { return new Workspace(dir.resolve("workspace")); }
    public boolean exists() { return Files.isRegularFile(dir.resolve(MARKER)); }

    /** Builds and starts everything; returns lines describing what is where. */
    public List<String> up() throws IOException {
        List<String> missing = SandboxProcesses.missingPackages();
        if (!missing.isEmpty()) {
            throw new IOException("the sandbox needs " + String.join(", ", missing) + ": install with `sudo apt-get install -y " + String.join(" ", missing) + "`");
        }
        if (exists()) throw new IOException("a sandbox is already at " + dir + ": stop it with `certops sandbox down --dir " + dir + "` first");
        if (Files.exists(dir) && Files.list(dir).findAny().isPresent()) throw new IOException(dir + " is not empty: give an empty or new folder with --dir");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "{}");
        try {
            return build();
        } catch (IOException | RuntimeException e) {
            down();
            throw e;
        }
    }

    /** The root a Pebble issues under (a new one at every start), from its management port; polled while Pebble starts. */
    private static String pebbleRoot(String ca, int mgmtPort, Path httpsCa) throws IOException {
        HttpClient http = HttpClient.newBuilder().sslContext(TrustAnchors.sslContext(Optional.of(httpsCa))).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + mgmtPort + "/roots/0")).timeout(Duration.ofSeconds(5)).build();
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("BEGIN CERTIFICATE")) return r.body().endsWith("\n") ? r.body() : r.body() + "\n";
                last = new IOException("HTTP " + r.statusCode());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading pebble (" + ca + ")'s root", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading pebble (" + ca + ")'s root", e);
            }
        }
        throw new IOException("pebble (" + ca + ") does not give its root at https://127.0.0.1:" + mgmtPort + "/roots/0: " + last.getMessage(), last);
    }

    private List<String> build() throws IOException {
        int dns = SandboxProcesses.freePort();
        int dnsMgmt = SandboxProcesses.freePort();
        int http = SandboxProcesses.freePort();
        int ssh = SandboxProcesses.freePort();
        Map<String, Integer> tls = new LinkedHashMap<>();
        for (String s : List.of("healthy", "api", "shop")) tls.put(s, SandboxProcesses.freePort());

        Path log = Files.createDirectories(dir.resolve("logs"));
        long challtest = SandboxProcesses.start(List.of("/usr/bin/pebble-challtestsrv", "-management", "127.0.0.1:" + dnsMgmt, "-dns01", "127.0.0.1:" + dns,
                "-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv6", ""), Map.of(), log.resolve("challtestsrv.log"));
        started("challtestsrv", challtest);
        SandboxProcesses.awaitPort("challtestsrv", dnsMgmt, challtest, log.resolve("challtestsrv.log"), Duration.ofSeconds(10));

        // An HTTPS identity for the two CAs, and an old "legacy" CA for the estate that exists before certops.
        var httpsCa = CertificateBuilder.ca("certops sandbox HTTPS CA").build();
        var https = CertificateBuilder.leaf("localhost", "127.0.0.1").signedBy(httpsCa).build();
        Path tlsDir = Files.createDirectories(dir.resolve("tls"));
        Files.writeString(tlsDir.resolve("ca.pem"), PemWriter.certificate(httpsCa.certificate()));
        Files.writeString(tlsDir.resolve("localhost.pem"), PemWriter.certificates(List.of(https.certificate(), httpsCa.certificate())));
        Files.writeString(tlsDir.resolve("localhost.key"), PemWriter.privateKey(https.keys().getPrivate(), Optional.empty()));
        Map<String, Integer> caPorts = new LinkedHashMap<>();
        Map<String, Integer> mgmtPorts = new LinkedHashMap<>();
        for (String ca : List.of("primary", "secondary")) {
            int port = SandboxProcesses.freePort();
            caPorts.put(ca, port);
            mgmtPorts.put(ca, SandboxProcesses.freePort());
            Path cdir = Files.createDirectories(dir.resolve("pebble-" + ca));
            Files.writeString(cdir.resolve("config.json"), "{\"pebble\":{\"listenAddress\":\"127.0.0.1:" + port + "\",\"managementListenAddress\":\"127.0.0.1:"
                    + mgmtPorts.get(ca) + "\",\"certificate\":\"" + tlsDir.resolve("localhost.pem") + "\",\"privateKey\":\"" + tlsDir.resolve("localhost.key")
                    + "\",\"httpPort\":" + http + ",\"tlsPort\":" + SandboxProcesses.freePort() + ",\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":false}}");
            List<String> cmd = List.of("/usr/bin/pebble", "-config", cdir.resolve("config.json").toString(), "-dnsserver", "127.0.0.1:" + dns);
            long pid = SandboxProcesses.start(cmd, Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"), log.resolve("pebble-" + ca + ".log"));
            started("pebble-" + ca, pid);
            state.put("pebble-" + ca + "-command", cmd);
            SandboxProcesses.awaitPort("pebble (" + ca + ")", port, pid, log.resolve("pebble-" + ca + ".log"), Duration.ofSeconds(15));
        }

        var legacy = CertificateBuilder.ca("Sandbox Legacy CA").build();
        // What the estate's clients trust (top-level trust:): the legacy CA and the roots the two Pebbles issue under
        StringBuilder roots = new StringBuilder(PemWriter.certificate(legacy.certificate()));
        for (var ca : mgmtPorts.entrySet()) roots.append(pebbleRoot(ca.getKey(), ca.getValue(), tlsDir.resolve("ca.pem")));
        Files.writeString(tlsDir.resolve("estate-roots.pem"), roots.toString());
        Instant now = Instant.now();
        Path hosts = Files.createDirectories(dir.resolve("hosts"));
        Map<String, String> hostOf = Map.of("healthy", "web1", "api", "web2", "shop", "web3");
        Map<String, Instant> expires = Map.of("healthy", now.plus(Duration.ofDays(60)), "api", now.plus(Duration.ofDays(5)), "shop", now.plus(Duration.ofDays(40)));
        for (var e : hostOf.entrySet()) {
            deployRelease(hosts.resolve(e.getValue()), "r1-initial", CertificateBuilder.leaf(e.getKey() + ".sandbox.test")
                    .validity(now.minus(Duration.ofDays(30)), expires.get(e.getKey())).signedBy(legacy).build(), legacy);
        }
        Path webroot = Files.createDirectories(dir.resolve("webroot"));
        Path nginx = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(nginx.resolve("tmp"));
        Files.writeString(nginx.resolve("nginx.conf"), nginxConf(nginx, http, webroot, tls, hostOf, hosts));
        long nginxPid = SandboxProcesses.start(List.of("/usr/sbin/nginx", "-e", "stderr", "-p", nginx.toString(), "-c", nginx.resolve("nginx.conf").toString(),
                "-g", "daemon off;"), Map.of(), log.resolve("nginx.log"));
        started("nginx", nginxPid);
        SandboxProcesses.awaitPort("nginx", tls.get("shop"), nginxPid, log.resolve("nginx.log"), Duration.ofSeconds(10));
        // shop diverges: a new release goes live on disk, but nginx is never reloaded
        deployRelease(hosts.resolve("web3"), "r2-not-reloaded", CertificateBuilder.leaf("shop.sandbox.test")
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(80))).signedBy(legacy).build(), legacy);

        Workspace ws = workspace();
        ws.create();
        Path sshDir = Files.createDirectories(ws.root().resolve("ssh"));
        long sshd = SandboxSsh.start(dir.resolve("sshd"), sshDir, ssh, log.resolve("sshd.log"));
        started("sshd", sshd);
        SandboxProcesses.awaitPort("sshd", ssh, sshd, log.resolve("sshd.log"), Duration.ofSeconds(10));

        String test = "/usr/sbin/nginx -q -t -p " + nginx + " -c " + nginx.resolve("nginx.conf");
        String reload = "test -f " + dir.resolve("break-reload") + " || /usr/sbin/nginx -p " + nginx + " -c " + nginx.resolve("nginx.conf") + " -s reload";
        Files.writeString(ws.configFile(), SandboxConfig.render(dns, dnsMgmt, caPorts, tlsDir.resolve("ca.pem"), tlsDir.resolve("estate-roots.pem"), ssh, System.getProperty("user.name"),
                hosts, webroot, test, reload, tls));
        state.put("pids", pids);
        state.put("ports", Map.of("dns", dns, "http01", http, "ssh", ssh, "primary", caPorts.get("primary"), "secondary", caPorts.get("secondary"),
                "healthy", tls.get("healthy"), "api", tls.get("api"), "shop", tls.get("shop")));
        save();
        List<String> out = new ArrayList<>();
        out.add("Sandbox up in " + dir);
        out.add("  CAs        primary https://127.0.0.1:" + caPorts.get("primary") + "/dir, secondary https://127.0.0.1:" + caPorts.get("secondary") + "/dir (Pebble)");
        out.add("  DNS        challtestsrv on 127.0.0.1:" + dns + " (every *.sandbox.test name is 127.0.0.1)");
        out.add("  SSH        sshd on 127.0.0.1:" + ssh + " (throwaway keys; hosts web1, web2, web3)");
        out.add("  nginx      healthy :" + tls.get("healthy") + ", api (expires in 5 days) :" + tls.get("api") + ", shop (diverged) :" + tls.get("shop"));
        out.add("  workspace  " + ws.root());
        out.add("Next:");
        out.add("  ./certops --workspace " + ws.root() + "                      # the console");
        out.add("  ./certops estate scan --workspace " + ws.root());
        out.add("  ./certops sandbox break primary-ca --dir " + dir + "   # then: ./certops runbook run primary-ca-outage --param certificate=api --workspace " + ws.root());
        out.add("  ./certops sandbox down --dir " + dir);
        return out;
    }

    private static void deployRelease(Path certDir, String label, CertificateBuilder.Issued leaf, CertificateBuilder.Issued ca) throws IOException {
        // named like certops' own releases (UTC time, serial prefix) so deploy and rollback treat them as such
        String serial = leaf.certificate().getSerialNumber().toString(16);
        String release = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC)
                .format(Instant.now().minus(Duration.ofDays(label.startsWith("r1") ? 30 : 1))) + "-" + serial.substring(0, Math.min(8, serial.length()));
        Path r = Files.createDirectories(certDir.resolve("releases").resolve(release));
        Files.writeString(r.resolve("cert.pem"), PemWriter.certificate(leaf.certificate()));
        Files.writeString(r.resolve("chain.pem"), PemWriter.certificate(ca.certificate()));
        Files.writeString(r.resolve("fullchain.pem"), PemWriter.certificates(List.of(leaf.certificate(), ca.certificate())));
        Files.writeString(r.resolve("privkey.pem"), PemWriter.privateKey(leaf.keys().getPrivate(), Optional.empty()));
        Files.setPosixFilePermissions(r.resolve("privkey.pem"), PosixFilePermissions.fromString("rw-------"));
        Path tmp = certDir.resolve("live.tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of("releases", release));
        Files.move(tmp, certDir.resolve("live"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String nginxConf(Path prefix, int http, Path webroot, Map<String, Integer> tls, Map<String, String> hostOf, Path hosts) {
        StringBuilder b = new StringBuilder();
        if ("root".equals(System.getProperty("user.name"))) b.append("user root;\n");
        b.append("worker_processes 1;\npid ").append(prefix).append("/nginx.pid;\nerror_log ").append(prefix).append("/error.log;\n")
                .append("events { worker_connections 256; }\nhttp {\n  access_log off;\n");
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) b.append("  ").append(t).append("_temp_path ").append(prefix).append("/tmp/").append(t).append(";\n");
        b.append("  server { listen 127.0.0.1:").append(http).append("; root ").append(webroot).append("; }\n");
        for (var e : tls.entrySet()) {
            Path live = hosts.resolve(hostOf.get(e.getKey())).resolve("live");
            b.append("  server { listen 127.0.0.1:").append(e.getValue()).append(" ssl; server_name ").append(e.getKey()).append(".sandbox.test;\n")
                    .append("    ssl_certificate ").append(live).append("/fullchain.pem; ssl_certificate_key ").append(live).append("/privkey.pem;\n")
                    .append("    location / { return 200 '").append(e.getKey()).append("\\n'; } }\n");
        }
        return b.append("}\n").toString();
    }

    /** Stops the primary CA: the incident the primary-ca-outage runbook recovers from. */
    public String breakPrimaryCa() throws IOException {
        load();
        long pid = pids.getOrDefault("pebble-primary", -1L);
        SandboxProcesses.stop(pid);
        return "The primary CA is down (Pebble pid " + pid + " stopped). Recover: ./certops runbook run primary-ca-outage --param certificate=api --workspace " + workspace().root();
    }

    /** Makes the next reload do nothing: deploy verification must catch it and roll back. */
    public String breakReload() throws IOException {
        load();
        Files.writeString(dir.resolve("break-reload"), "the sandbox's reload command does nothing while this file exists\n");
        return "Reloads are now ineffective (remove " + dir.resolve("break-reload") + " to repair). A deploy will fail verification and roll back.";
    }

    /** Stops every process this sandbox started (by pid) and removes its folder. */
    public List<String> down() throws IOException {
        if (!exists()) throw new IOException("no sandbox at " + dir + " (no " + MARKER + "): nothing was changed");
        load();
        List<String> out = new ArrayList<>();
        for (var e : pids.entrySet()) out.add((SandboxProcesses.stop(e.getValue()) ? "stopped " : "could not stop ") + e.getKey() + " (pid " + e.getValue() + ")");
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
        out.add("removed " + dir);
        return out;
    }

    private void started(String name, long pid) throws IOException {
        pids.put(name, pid);
        state.put("pids", pids);
        save();
    }

    private void save() throws IOException {
        Files.writeString(dir.resolve(MARKER), JSON.writeValueAsString(state));
    }

    @SuppressWarnings("unchecked")
    private void load() throws IOException {
        if (!exists()) throw new IOException("no sandbox at " + dir + ": start one with `certops sandbox up --dir " + dir + "`");
        Map<String, Object> m = JSON.readValue(dir.resolve(MARKER).toFile(), Map.class);
        Object p = m.get("pids");
        if (p instanceof Map<?, ?> map) map.forEach((k, v) -> pids.put(String.valueOf(k), ((Number) v).longValue()));
        state.putAll(m);
    }
}
