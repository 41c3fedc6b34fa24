package dev.certops.deploy;

import dev.certops.config.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Whether the login of a host entry may write each certificate folder (or, for one not made yet, the
 * nearest folder that exists) — asked once per login (user, address and port) for every folder of
 * every host entry that shares it, in one remote command: {@code hosts check} of 50 entries of one
 * machine then costs one shell on it, not 50 (each shell can be expensive: a login's rc files run).
 */
final class WritableFolders {
    /** The answer for one folder: writable or not, and the nearest existing folder that was tested. */
    record Answer(boolean writable, String nearest) { }

    private static final String SCRIPT = "for p in \"$@\"; do d=\"$p\"; while [ ! -e \"$d\" ]; do d=$(dirname -- \"$d\"); done; "
            + "if [ -d \"$d\" ] && [ -w \"$d\" ]; then r=yes; else r=no; fi; printf '%s %s\\n' \"$r\" \"$d\"; done";

    private final Map<String, Set<String>> expected = new HashMap<>();
    private final Map<String, CompletableFuture<Map<String, Answer>>> asked = new HashMap<>();

    private static String login(HostConfig host) { return host.user() + "@" + host.address() + ":" + host.port(); }

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
            String line = lines.get(i);
            int space = line.indexOf(' ');
            out.put(folders.get(i), new Answer(line.startsWith("yes "), space < 0 ? "" : line.substring(space + 1)));
        }
        return out;
    }
}
