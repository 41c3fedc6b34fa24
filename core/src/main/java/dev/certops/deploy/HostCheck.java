package dev.certops.deploy;

import dev.certops.config.CertificateConfig;
import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * {@code certops hosts check}: can certops deploy to this host? Connects (host key checked), checks
 * sudo when the host uses it, looks at each certificate's folder (writable, live link) and runs the
 * service's config test. Changes nothing.
 */
public final class HostCheck {
    private HostCheck() { }

    /** One checked item. */
    public record Line(String what, boolean ok, String detail) { }

    /** As {@link #run(HostConnectors, HostConfig, List, Duration)} for the host's own folder only. */
    public static List<Line> run(HostConnectors connectors, HostConfig host, Duration timeout) {
        return run(connectors, host, List.of(), timeout);
    }

    /** At most this many hosts are checked at once (host entries of one address also share one SSH session). */
    public static final int PARALLEL = 16;

    /**
     * Checks every host in parallel (bounded by {@value #PARALLEL}); results in the order of {@code hosts}.
     * {@code deployed} gives the certificates deployed to a host.
     */
    public static List<List<Line>> runAll(HostConnectors connectors, List<HostConfig> hosts,
                                          Function<HostConfig, List<CertificateConfig>> deployed, Duration timeout) throws InterruptedException {
        if (hosts.isEmpty()) return List.of();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, hosts.size()), r -> {
            Thread t = new Thread(r, "certops-hosts-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Line>>> futures = new ArrayList<>();
            Map<String, CompletableFuture<Line>> tests = new ConcurrentHashMap<>();
            ServiceCommands.Cache services = new ServiceCommands.Cache();
            WritableFolders writable = new WritableFolders();
            for (HostConfig h : hosts) {
                if (h.sudo()) continue;
                try {
                    for (RemotePaths p : folders(h, deployed.apply(h))) writable.expect(h, p.certDir());
                } catch (DeployException e) {
                    // reported by the host's own check
                }
            }
            for (HostConfig h : hosts) futures.add(pool.submit(() -> run(connectors, h, deployed.apply(h), timeout, services, tests, writable)));
            List<List<Line>> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(List.of(new Line("check", false, "the check failed unexpectedly: " + e.getCause())));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Checks the folders of {@code certificates} (those deployed to this host); none = the host's own folder. */
    public static List<Line> run(HostConnectors connectors, HostConfig host, List<CertificateConfig> certificates, Duration timeout) {
        return run(connectors, host, certificates, timeout, new ServiceCommands.Cache(), new ConcurrentHashMap<>(),
                new WritableFolders());
    }

    private static List<RemotePaths> folders(HostConfig host, List<CertificateConfig> certificates) throws DeployException {
        List<RemotePaths> folders = new ArrayList<>();
        if (certificates.isEmpty()) folders.add(RemotePaths.forHost(host));
        for (CertificateConfig c : certificates) folders.add(RemotePaths.forHost(host, host.certDirFor(c)));
        return folders;
    }

    /**
     * {@code tests} holds the config test of each server (host entries that share one server, as
     * {@link ServiceGate#key} defines it, run it once per check); {@code services} the facts per address.
     */
    private static List<Line> run(HostConnectors connectors, HostConfig host, List<CertificateConfig> certificates, Duration timeout,
                                  ServiceCommands.Cache services, Map<String, CompletableFuture<Line>> tests,
                                  WritableFolders writable) {
        List<Line> out = new ArrayList<>();
        List<RemotePaths> folders;
        try {
            folders = folders(host, certificates);
        } catch (DeployException e) {
            out.add(new Line("configuration", false, e.getMessage()));
            return out;
        }
        try (HostChannel ch = connectors.open(host)) {
            out.add(new Line("connect", true, host.isLocal() ? "this machine" : host.user() + "@" + host.address() + ":" + host.port() + ", host key matches known_hosts"));
            if (host.sudo()) out.add(sudo(ch, host, timeout));
            for (RemotePaths paths : folders) {
                Optional<WritableFolders.Answer> read = Optional.empty();
                if (!host.sudo()) {
                    WritableFolders.Answer w = writable.check(ch, host, paths.certDir(), timeout);
                    read = Optional.of(w);
                    out.add(new Line("certDir", w.writable(), w.writable() ? paths.certDir() + " writable (nearest existing folder: " + w.nearest() + ")"
                            : w.nearest() + " is not writable by " + host.user() + " — create " + paths.certDir() + " and give " + host.user() + " write access, or set sudo: true"));
                }
                try {
                    ReleaseOps ops = new ReleaseOps(ch, paths, timeout);
                    Optional<String> live = read.isPresent() ? ops.liveRelease(read.get().liveTarget(), read.get().liveIsNotALink()) : ops.liveRelease();
                    out.add(new Line("live", true, live.map(l -> paths.live() + " -> releases/" + l).orElse("no release yet (the first deploy creates " + paths.live() + ")")));
                } catch (DeployException e) {
                    out.add(new Line("live", false, e.getMessage()));
                }
            }
            String test = ch.asRoot(services.commands(ch, host, timeout).test());
            CompletableFuture<Line> mine = new CompletableFuture<>();
            CompletableFuture<Line> shared = tests.putIfAbsent(ServiceGate.key(host) + "|" + test, mine);
            if (shared == null) {
                try {
                    ExecResult t = ch.execConfigured(test, timeout);
                    mine.complete(new Line("config test", t.ok(), "'" + test + "' exit " + t.exitCode() + (t.output().isEmpty() ? "" : ": " + t.output())));
                } catch (DeployException | RuntimeException e) {
                    mine.complete(new Line("config test", false, e.getMessage()));
                }
                shared = mine;
            }
            out.add(shared.join());
        } catch (DeployException e) {
            out.add(new Line(e.step() == null ? "connect" : e.step(), false, e.getMessage()));
        }
        return out;
    }

    /** sudo -n -l for each program certops runs as root: allowed without a password, or the line to add. */
    private static Line sudo(HostChannel ch, HostConfig host, Duration timeout) throws DeployException {
        List<String> programs = new ArrayList<>(SudoersLine.FILE_PROGRAMS);
        programs.addAll(SudoersLine.programsOf(host.testCommand()));
        programs.addAll(SudoersLine.programsOf(host.reloadCommand()));
        List<List<String>> checks = programs.stream().distinct().map(p -> List.of("sudo", "-n", "-l", "--", p)).toList();
        ExecResult r = ch.execAll(checks, timeout);
        if (r.ok()) return new Line("sudo", true, host.user() + " may run " + String.join(", ", programs.stream().distinct().toList()) + " as root without a password");
        String line = ch instanceof SudoChannel s ? SudoersLine.forHost(s, host) : SudoersLine.line(host.user(), programs);
        return new Line("sudo", false, "sudo -n refuses some of what certops runs as root (" + r.output().lines().findFirst().orElse("") + ")"
                + " — add this line with `visudo -f /etc/sudoers.d/certops`: " + line);
    }
}
