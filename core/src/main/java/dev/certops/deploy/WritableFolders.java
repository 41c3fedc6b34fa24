package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Whether the login of a host entry may write each certificate folder (or, for one not made yet, the
 * nearest folder that exists), and where each folder's {@code live} points — asked once per login
 * (user, address, port and jump host) for every folder of every host entry that shares it, in one remote
 * command: {@code hosts check} of 50 entries of one machine then costs one shell on it, not 50 shells
 * and 50 SFTP sessions (each shell can be expensive: a login's rc files run).
 */
final class WritableFolders {
    /**
     * The answer for one folder: writable or not, the nearest existing folder that was tested, where
     * {@code live} points (empty: no link) and whether {@code live} exists without being a link.
     */
    record Answer(boolean writable, String nearest, Optional<String> liveTarget, boolean liveIsNotALink) { }

    private static final String SCRIPT = "for p in \"$@\"; do d=\"$p\"; while [ ! -e \"$d\" ]; do d=$(dirname -- \"$d\"); done; "
            + "if [ -d \"$d\" ] && [ -w \"$d\" ]; then r=yes; else r=no; fi; "
            + "if [ -L \"$p/live\" ]; then l=\"link:$(readlink -- \"$p/live\")\"; elif [ -e \"$p/live\" ]; then l=other; else l=none; fi; "
            + "printf '%s\\t%s\\t%s\\n' \"$r\" \"$d\" \"$l\"; done";

    private final Map<String, Set<String>> expected = new HashMap<>();
    private final Map<String, CompletableFuture<Map<String, Answer>>> asked = new HashMap<>();

    /** Entries with the same login reach the same machine as the same user (an address behind another jump host may be another machine). */
    private static String login(HostConfig host) {
        return host.user() + "@" + host.address() + ":" + host.port() + "|" + host.jump().orElse("") + "|" + host.sshConfig().orElse("");
    }

    /** Announces a folder that will be checked (before the checks start), so one command answers for all. */
    synchronized void expect(HostConfig host, String folder) {
        expected.computeIfAbsent(login(host), k -> new LinkedHashSet<>()).add(folder);
    }

    /** The answer for {@code folder}: from the one command per login (run by the first entry that asks, over its channel). */
    Answer check(HostChannel ch, HostConfig host, String folder, Duration timeout) throws DeployException {
        String login = login(host);
        CompletableFuture<Map<String, Answer>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Answer>> batch;
        List<String> folders;
        synchronized (this) {
            Set<String> all = expected.getOrDefault(login, Set.of());
            boolean shared = all.contains(folder);
            batch = shared ? asked.putIfAbsent(login, mine) : null;
            folders = shared ? new ArrayList<>(all) : List.of(folder);
        }
        if (batch == null) {
            try {
                mine.complete(ask(ch, folders, timeout));
            } catch (DeployException | RuntimeException e) {
                mine.completeExceptionally(e);
            }
            batch = mine;
        }
        try {
            Answer a = batch.join().get(folder);
            return a != null ? a : ask(ch, List.of(folder), timeout).get(folder);
        } catch (CompletionException e) {
            if (e.getCause() instanceof DeployException d) throw d;
            throw e;
        }
    }

    private static Map<String, Answer> ask(HostChannel ch, List<String> folders, Duration timeout) throws DeployException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "certops-check"));
        argv.addAll(folders);
        ExecResult r = ch.exec(argv, timeout);
        List<String> lines = r.stdout().lines().toList();
        Map<String, Answer> out = new HashMap<>();
        if (!r.ok() || lines.size() != folders.size()) {
            throw new DeployException(ch.hostId(), "certDir", "could not test the folders for writing: " + r.output(), "check that sh works for this login");
        }
        for (int i = 0; i < folders.size(); i++) {
            String[] f = lines.get(i).split("\t", 3);
            if (f.length < 3) {
                throw new DeployException(ch.hostId(), "certDir", "could not read the folder check's answer for " + folders.get(i), "check that sh works for this login");
            }
            out.put(folders.get(i), new Answer(f[0].equals("yes"), f[1],
                    f[2].startsWith("link:") ? Optional.of(f[2].substring("link:".length())) : Optional.empty(), f[2].equals("other")));
        }
        return out;
    }
}
