package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The config test and reload a service preset runs on one host, chosen from what the host has:
 * the init system (systemd when it runs, else OpenRC's rc-service, else SysV service, else the
 * server's own signal), apache2 (Debian) or httpd (RHEL), and the config file the running server
 * was started with (a test of /etc/nginx/nginx.conf proves nothing about a server started with
 * -c /srv/nginx.conf). The host is looked at once per run ({@link Cache}); an explicit {@code test:}
 * or {@code reload:} always wins.
 */
public final class ServiceCommands {
    /** The pair to run. */
    public record Commands(String test, String reload) { }

    /**
     * What a host has, read by one fixed script.
     *
     * @param init     "systemd", "openrc", "service" or "" (none: signal the server itself)
     * @param programs programs found on the PATH (sbin included)
     * @param running  command lines of running server processes (nginx, apache2, httpd, haproxy, dovecot, postfix master)
     */
    public record Facts(String init, Set<String> programs, List<String> running) {
        public Facts { programs = Set.copyOf(programs); running = List.copyOf(running); }
    }

    static final List<String> PROGRAMS = List.of("systemctl", "rc-service", "service", "nginx", "apache2", "apache2ctl", "httpd", "apachectl",
            "haproxy", "postfix", "doveadm", "doveconf");

    /** Fixed text; the only input is the list above, passed as arguments. */
    static final String SCRIPT = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; "
            + "if [ -d /run/systemd/system ]; then echo init=systemd; fi; "
            + "for p; do if command -v \"$p\" >/dev/null 2>&1; then echo \"has=$p\"; fi; done; "
            + "ps -eo args= 2>/dev/null | grep -E '(nginx: master|apache2|httpd|haproxy|dovecot|postfix/sbin/master)' | grep -v grep | sed 's/^/ps=/'; true";

    private ServiceCommands() { }

    /** Reads the facts over the channel (one exec). */
    public static Facts read(HostChannel ch, Duration timeout) throws DeployException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "certops"));
        argv.addAll(PROGRAMS);
        return parse(ch.exec(argv, timeout).stdout());
    }

    static Facts parse(String out) {
        boolean systemd = false;
        Set<String> has = new LinkedHashSet<>();
        List<String> ps = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.equals("init=systemd")) systemd = true;
            else if (line.startsWith("has=")) has.add(line.substring(4));
            else if (line.startsWith("ps=")) ps.add(line.substring(3).strip());
        }
        String init = systemd && has.contains("systemctl") ? "systemd" : has.contains("rc-service") ? "openrc" : has.contains("service") ? "service" : "";
        return new Facts(init, has, ps);
    }

    /** The preset's commands on a host with these facts; the host entry's own test:/reload: win. */
    public static Commands resolve(HostConfig host, Facts f) {
        Commands c = preset(host.service(), f);
        return new Commands(host.test().orElse(c.test()), host.reload().orElse(c.reload()));
    }

    static Commands preset(String service, Facts f) {
        return switch (service) {
            case "nginx" -> nginx(f);
            case "apache" -> apache(f);
            case "haproxy" -> haproxy(f);
            case "postfix" -> new Commands("postfix check", f.init().equals("systemd") ? "systemctl reload postfix" : "postfix reload");
            case "dovecot" -> dovecot(f);
            default -> new Commands("true", "true");
        };
    }

    private static Commands nginx(Facts f) {
        Optional<String> master = f.running().stream().filter(l -> l.startsWith("nginx: master process")).findFirst();
        String opts = master.map(m -> options(m, "-c", "-p")).orElse("");
        String test = "nginx" + opts + " -t";
        return new Commands(test, byInit(f, "nginx").orElse("nginx" + opts + " -s reload"));
    }

    private static Commands apache(Facts f) {
        boolean debian = f.programs().contains("apache2") || f.programs().contains("apache2ctl");
        String bin = debian ? "apache2" : "httpd";
        Optional<String> running = f.running().stream().filter(l -> firstWordEndsWith(l, "/" + bin) || l.startsWith(bin + " ")).findFirst();
        String opts = running.map(r -> options(r, "-d", "-f")).orElse("");
        if (!opts.isEmpty()) return new Commands(bin + opts + " -t", bin + opts + " -k graceful");
        String ctl = debian ? "apache2ctl" : "apachectl";
        return new Commands(ctl + " configtest", byInit(f, bin).orElse(ctl + " graceful"));
    }

    private static Commands haproxy(Facts f) {
        Optional<String> running = f.running().stream().filter(l -> firstWordEndsWith(l, "haproxy")).findFirst();
        String cfg = running.flatMap(r -> value(r, "-f")).orElse("/etc/haproxy/haproxy.cfg");
        String test = "haproxy -c -q -f " + ShellWords.quote(cfg);
        Optional<String> init = byInit(f, "haproxy");
        if (init.isPresent() && running.map(r -> value(r, "-p").isEmpty() || r.contains(" -W")).orElse(true)) return new Commands(test, init.get());
        String pid = running.flatMap(r -> value(r, "-p")).orElse("/run/haproxy.pid");
        // A new process takes the listeners; -sf lets the old one finish its connections, then exit.
        return new Commands(test, "haproxy -D -p " + ShellWords.quote(pid) + " -f " + ShellWords.quote(cfg) + " -sf $(cat " + ShellWords.quote(pid) + ")");
    }

    private static Commands dovecot(Facts f) {
        Optional<String> running = f.running().stream().filter(l -> firstWordEndsWith(l, "dovecot")).findFirst();
        String opts = running.map(r -> options(r, "-c")).orElse("");
        return new Commands("doveconf" + opts + " -n", opts.isEmpty() ? byInit(f, "dovecot").orElse("doveadm reload") : "doveadm" + opts + " reload");
    }

    private static Optional<String> byInit(Facts f, String unit) {
        return switch (f.init()) {
            case "systemd" -> Optional.of("systemctl reload " + unit);
            case "openrc" -> Optional.of("rc-service " + unit + " reload");
            case "service" -> Optional.of("service " + unit + " reload");
            default -> Optional.empty();
        };
    }

    private static boolean firstWordEndsWith(String line, String suffix) {
        String first = line.split(" +")[0];
        return first.equals(suffix.replace("/", "")) || first.endsWith(suffix.startsWith("/") ? suffix : "/" + suffix);
    }

    /** " -c 'VALUE'" for each option present in the command line, quoted for the shell. */
    private static String options(String line, String... names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) value(line, n).ifPresent(v -> b.append(' ').append(n).append(' ').append(ShellWords.quote(v)));
        return b.toString();
    }

    private static Optional<String> value(String line, String option) {
        String[] w = line.split(" +");
        for (int i = 0; i + 1 < w.length; i++) if (w[i].equals(option)) return Optional.of(w[i + 1]);
        return Optional.empty();
    }

    /** Facts per host address, read once per run. */
    public static final class Cache {
        private final Map<String, Facts> facts = new ConcurrentHashMap<>();

        public Commands commands(HostChannel ch, HostConfig host, Duration timeout) throws DeployException {
            if (host.test().isPresent() && host.reload().isPresent()) return new Commands(host.test().get(), host.reload().get());
            String key = host.address() + ":" + host.port() + "|" + host.user();
            Facts f = facts.get(key);
            if (f == null) {
                f = read(ch, timeout);
                facts.put(key, f);
            }
            return resolve(host, f);
        }
    }
}
