package dev.certops.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Reads and validates certops.yaml. Every section is optional. Nothing is touched on error: the
 * caller gets a {@link ConfigException} that names file, line and key, what is wrong and what is
 * allowed.
 */
public final class ConfigLoader {
    private static final Set<String> TOP = Set.of("resolvers", "cas", "dns", "hosts", "certificates", "endpoints", "thresholds", "history", "renew", "alerts", "trust");

    /** certops.yaml read ahead on a head start's thread ({@link #readAhead}): the file, its bytes then, and what they parsed to. */
    private record Ahead(Path file, byte[] bytes, CertopsConfig config) { }

    private static volatile FutureTask<Optional<Ahead>> ahead;
    /** A command read certops.yaml itself already: a read ahead now would be work for nothing. */
    private static volatile boolean loaded;

    private ConfigLoader() { }

    public static CertopsConfig load(Path file) throws ConfigException {
        loaded = true;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "file not found — create a workspace with `certops init` or pass --workspace DIR");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot be read: " + e.getMessage());
        }
        Optional<CertopsConfig> read = readAlready(file, bytes);
        if (read.isPresent()) return read.get();
        return parse(file, decode(file, bytes));
    }

    /**
     * Reads and parses {@code file} now, on the calling thread (a head start's: a whole command's first work, beside
     * the command line's parsing), for the next {@link #load} of the same file. {@link #load} uses the result only when
     * it reads the very same bytes again; anything wrong (no file, a mistake in it) is left for {@link #load} to report.
     * Returns what was parsed (empty when it could not be), for more work begun ahead on the same guess.
     */
    public static Optional<CertopsConfig> readAhead(Path file) {
        if (loaded) return Optional.empty();
        FutureTask<Optional<Ahead>> task = new FutureTask<>(() -> {
            try {
                byte[] bytes = Files.readAllBytes(file);
                return Optional.of(new Ahead(file, bytes, parse(file, decode(file, bytes))));
            } catch (IOException | ConfigException | RuntimeException e) {
                return Optional.empty();
            }
        });
        ahead = task;
        task.run();
        try {
            return task.get().map(Ahead::config);
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** As at the start of a process: nothing read ahead, nothing loaded (tests run many commands in one process). */
    static void forgetReads() {
        ahead = null;
        loaded = false;
    }

    /** What {@link #readAhead} made of these very bytes of this file, waiting for it if it is under way. */
    static Optional<CertopsConfig> readAlready(Path file, byte[] bytes) {
        FutureTask<Optional<Ahead>> task = ahead;
        if (task == null) return Optional.empty();
        ahead = null; // once: a later load (an edited file, a reload) reads for itself
        try {
            Optional<Ahead> a = task.get();
            if (a.isPresent() && a.get().file().equals(file) && Arrays.equals(a.get().bytes(), bytes)) {
                return Optional.of(a.get().config());
            }
        } catch (ExecutionException e) {
            // readAhead catches what parsing throws: nothing to use
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** UTF-8 only, said so with the line and byte when the file is in another encoding (UTF-16, Latin-1). */
    static String decode(Path file, byte[] b) throws ConfigException {
        if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))
                || (b.length >= 2 && (b[0] == 0 || b[1] == 0))) {
            throw new ConfigException(file, 1, "", "is UTF-16 encoded; certops reads UTF-8 — save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = d.decode(ByteBuffer.wrap(b)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int line = 1;
            int at = 0;
            CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(b);
            CharBuffer out = CharBuffer.allocate(b.length + 1);
            probe.decode(in, out, true);
            at = in.position();
            for (int i = 0; i < at; i++) if (b[i] == '\n') line++;
            throw new ConfigException(file, line, "", String.format("is not UTF-8: byte 0x%02X on line %d is not valid UTF-8 (the file is "
                    + "probably Latin-1 or Windows-1252) — save it as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)", b[Math.min(at, b.length - 1)] & 0xff, line));
        }
    }

    public static CertopsConfig parse(Path file, String text) throws ConfigException {
        Optional<YamlNode> root = YamlNode.parse(file, text);
        if (root.isEmpty()) return CertopsConfig.empty(file);
        YamlNode top = root.get();
        if (!top.isMap()) throw top.error("the file must be a mapping of sections (" + String.join(", ", TOP) + ")");
        Map<String, YamlNode> sections = top.entries(TOP);

        List<String> resolvers = new ArrayList<>();
        if (sections.containsKey("resolvers")) {
            for (YamlNode r : sections.get("resolvers").items()) {
                String v = r.text();
                if (!v.matches("[0-9A-Za-z.:\\[\\]-]+(:\\d{1,5})?")) throw r.error("'" + v + "' is not a resolver — allowed: host or host:port, e.g. 1.1.1.1:53");
                resolvers.add(v);
            }
        }
        List<CaConfig> cas = sections.containsKey("cas") ? CaSection.read(sections.get("cas")) : List.of();
        List<DnsConfig> dns = sections.containsKey("dns") ? readDns(sections.get("dns")) : List.of();
        List<HostConfig> hosts = sections.containsKey("hosts") ? HostSection.read(sections.get("hosts")) : List.of();
        Thresholds thresholds = sections.containsKey("thresholds") ? readThresholds(sections.get("thresholds")) : Thresholds.DEFAULT;
        RenewConfig renew = sections.containsKey("renew") ? readRenew(sections.get("renew")) : RenewConfig.DEFAULT;
        List<Endpoint> endpoints = new ArrayList<>();
        if (sections.containsKey("endpoints")) {
            for (YamlNode e : sections.get("endpoints").items()) endpoints.add(EndpointParser.parse(e, Optional.empty()));
        }
        HostSection.checkJumps(hosts, sections.get("hosts"));
        List<CertificateConfig> certs = sections.containsKey("certificates")
                ? CertificateSection.read(sections.get("certificates"), cas, dns, hosts) : List.of();
        if (!certs.isEmpty()) CertificateSection.checkSharedFolders(certs, hosts, sections.get("certificates"));
        Optional<HistoryConfig> history = sections.containsKey("history")
                ? HistorySection.read(sections.get("history")) : Optional.empty();
        AlertsConfig alerts = sections.containsKey("alerts") ? AlertsSection.read(sections.get("alerts"), file.toAbsolutePath().getParent()) : AlertsConfig.NONE;
        List<String> trust = sections.containsKey("trust") ? trustFiles(sections.get("trust")) : List.of();
        return new CertopsConfig(file, List.copyOf(resolvers), cas, dns, hosts, certs, List.copyOf(endpoints), thresholds,
                history, renew, alerts, trust);
    }

    /** {@code trust: [FILE, ...]} (or one FILE): PEM roots the estate's TLS clients trust besides Java's trust store. */
    private static List<String> trustFiles(YamlNode node) throws ConfigException {
        List<String> out = node.isList() ? node.texts() : List.of(node.text());
        if (out.isEmpty()) throw node.error("lists no file — give PEM files of roots to trust, e.g. trust: [pki/internal-root.pem], or remove it");
        return List.copyOf(out);
    }

    private static List<DnsConfig> readDns(YamlNode list) throws ConfigException {
        List<DnsConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : list.items()) {
            Map<String, YamlNode> m = item.entries();
            String id = Ids.unique(item, m, ids, "a DNS provider");
            String type = YamlNode.req(item, m, "type", "one of " + String.join(", ", DnsConfig.TYPES)).text();
            if (!DnsConfig.TYPES.contains(type)) {
                throw m.get("type").error("'" + type + "' is not a DNS provider type — allowed: " + String.join(", ", DnsConfig.TYPES));
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : m.entrySet()) {
                if (!e.getKey().equals("id") && !e.getKey().equals("type")) settings.put(e.getKey(), e.getValue().text());
            }
            out.add(new DnsConfig(id, type, Map.copyOf(settings), item.line()));
        }
        return List.copyOf(out);
    }

    private static Thresholds readThresholds(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("warning", "critical", "emergency"));
        Thresholds d = Thresholds.DEFAULT;
        Duration w = duration(m, "warning", d.warning());
        Duration c = duration(m, "critical", d.critical());
        Duration e = duration(m, "emergency", d.emergency());
        if (!(w.compareTo(c) > 0 && c.compareTo(e) > 0)) {
            throw node.error("must satisfy warning > critical > emergency (given " + Durations.format(w) + ", "
                    + Durations.format(c) + ", " + Durations.format(e) + ")");
        }
        return new Thresholds(w, c, e);
    }

    private static RenewConfig readRenew(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("renewBefore", "staleAfter", "discover"));
        Optional<Duration> before = m.containsKey("renewBefore")
                ? Optional.of(duration(m, "renewBefore", null)) : Optional.empty();
        Optional<RenewConfig.Discover> discover = m.containsKey("discover") ? Optional.of(readDiscover(m.get("discover"))) : Optional.empty();
        return new RenewConfig(before, duration(m, "staleAfter", RenewConfig.DEFAULT.staleAfter()), discover);
    }

    /** {@code discover: { targets: [10.0.0.0/24, www.example.com], ports: [443, 8443], sni: [...] }} — checked again when a run expands it. */
    private static RenewConfig.Discover readDiscover(YamlNode node) throws ConfigException {
        Map<String, YamlNode> m = node.entries(Set.of("targets", "ports", "sni"));
        List<String> targets = new ArrayList<>();
        for (YamlNode t : YamlNode.req(node, m, "targets", "addresses, CIDR ranges or host names to discover on each run, e.g. [10.0.0.0/24]").items()) {
            String v = t.text();
            if (!v.matches("[0-9A-Za-z.:/-]+")) throw t.error("'" + SafeNames.printable(v) + "' is not a target — allowed: an address, a CIDR range (10.0.0.0/24) or a host name");
            targets.add(v);
        }
        if (targets.isEmpty()) throw node.error("targets: is empty: give at least one address, range or host name");
        List<Integer> ports = new ArrayList<>();
        if (m.containsKey("ports")) for (YamlNode p : m.get("ports").items()) ports.add(p.integer(1, 65535));
        if (ports.isEmpty()) ports.add(443);
        List<String> sni = new ArrayList<>();
        if (m.containsKey("sni")) {
            for (YamlNode s : m.get("sni").items()) {
                var problem = SafeNames.dnsNameProblem(s.text(), false);
                if (problem.isPresent()) throw s.error(problem.get());
                sni.add(s.text());
            }
        }
        return new RenewConfig.Discover(List.copyOf(targets), List.copyOf(ports), List.copyOf(sni));
    }

    static Duration duration(Map<String, YamlNode> m, String key, Duration dflt) throws ConfigException {
        YamlNode n = m.get(key);
        if (n == null) return dflt;
        String t = n.text();
        return Durations.parse(t).filter(d -> !d.isZero()).orElseThrow(() -> n.error("'" + t + "' is not a duration — allowed: " + Durations.ALLOWED));
    }

}
