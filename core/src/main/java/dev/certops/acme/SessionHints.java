package dev.certops.acme;

import dev.certops.config.Workspace;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which CA session each certificate's issuance opened first, kept for the next command ({@code state/acme/session-hints}):
 * with it, {@code issue X} starts its TLS handshake and directory read at once, while certops.yaml is still being
 * parsed, instead of after (docs/decisions/0017). Only a hint, in two ways:
 * <ul>
 *   <li>it is used only while certops.yaml is the very file it was written beside (same size, modification time and
 *       file key), so a changed configuration is never guessed from: no CA that was removed or replaced is contacted;</li>
 *   <li>the command takes the session over only when its own plan names the same directory and trust file
 *       ({@link SessionKey}, compared by value); otherwise the session is never used. Reading a directory changes
 *       nothing at the CA.</li>
 * </ul>
 * One line for certops.yaml's attributes, then one per certificate, tab-separated; no secret (directories, file paths).
 */
public final class SessionHints {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHints.class);
    static final String FILE = "session-hints";
    private static final String NONE = "-";

    /** One certificate's first CA endpoint, as the command's plan opened it. */
    record Hint(String caId, boolean staging, URI directory, Optional<Path> trust) { }

    private SessionHints() { }

    static Path file(Workspace workspace) {
        return workspace.stateDir().resolve("acme").resolve(FILE);
    }

    /**
     * For a head start, before certops.yaml is read: opens the session each named certificate's issuance opened first last
     * time, when certops.yaml is unchanged since ({@code caId}, when given, must be that CA; {@code staging} must match).
     * Never fails: a missing or unreadable file opens nothing.
     */
    public static void openEarly(Workspace workspace, List<String> certificates, Optional<String> caId, boolean staging) {
        Map<String, Hint> hints = read(workspace);
        for (String id : certificates) {
            Hint h = hints.get(id);
            if (h == null || h.staging() != staging || caId.isPresent() && !caId.get().equals(h.caId())) continue;
            String stateName = h.caId() + (staging ? "-staging" : "");
            SessionsAhead.openEarly(new SessionKey(h.caId(), stateName, h.directory(), h.trust().orElse(null)), workspace);
        }
    }

    /**
     * Remembers the endpoint {@code certificate}'s plan opens first; written only when it differs from what the file holds.
     * A workspace that cannot be written still works, only without the head start's early session.
     */
    public static void remember(Workspace workspace, String certificate, CaEndpoint endpoint) {
        if (!endpoint.hasDirectory()) return;
        Path f = file(workspace);
        try {
            Optional<String> stamp = stamp(workspace.configFile());
            if (stamp.isEmpty()) return;
            SessionKey key = SessionKey.of(endpoint, workspace);
            Hint hint = new Hint(endpoint.id(), endpoint.staging(), key.directory(), Optional.ofNullable(key.trust()));
            String line = line(certificate, hint);
            if (line == null) return; // a field with a tab or a line break: not written, never guessed from
            List<String> lines = Files.isRegularFile(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
            List<String> out = new ArrayList<>();
            out.add(stamp.get());
            out.add(line);
            boolean sameStamp = !lines.isEmpty() && lines.get(0).equals(stamp.get());
            if (sameStamp) {
                if (lines.contains(line)) return;
                for (String l : lines.subList(1, lines.size())) if (!l.startsWith(certificate + "\t")) out.add(l);
            }
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), FILE, ".tmp");
            try {
                Files.write(tmp, out, StandardCharsets.UTF_8);
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("the session hints {} cannot be written: {}", f, e.getMessage());
        }
    }

    /** The hints by certificate id, when certops.yaml is the file they were written beside; else none. */
    static Map<String, Hint> read(Workspace workspace) {
        Map<String, Hint> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file(workspace), StandardCharsets.UTF_8);
            Optional<String> stamp = stamp(workspace.configFile());
            if (lines.isEmpty() || stamp.isEmpty() || !lines.get(0).equals(stamp.get())) return out;
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException | RuntimeException e) {
            LOG.debug("the session hints of {} cannot be read: {}", workspace.root(), e.getMessage());
            return out;
        }
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t", -1);
            if (f.length != 5) continue;
            try {
                out.put(f[0], new Hint(f[1], Boolean.parseBoolean(f[2]), new URI(f[3]), f[4].equals(NONE) ? Optional.empty() : Optional.of(Path.of(f[4]))));
            } catch (URISyntaxException | RuntimeException e) {
                // a line that is not a hint: no early session for it
            }
        }
        return out;
    }

    /** certops.yaml's size, modification time (ns) and file key; empty when it cannot be read. */
    static Optional<String> stamp(Path configFile) {
        try {
            BasicFileAttributes a = Files.readAttributes(configFile, BasicFileAttributes.class);
            return Optional.of("certops.yaml\t" + a.size() + "\t" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\t" + a.fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String line(String certificate, Hint h) {
        String trust = h.trust().map(Path::toString).orElse(NONE);
        String l = certificate + "\t" + h.caId() + "\t" + h.staging() + "\t" + h.directory() + "\t" + trust;
        for (String field : new String[] {certificate, h.caId(), h.directory().toString(), trust}) {
            if (field.indexOf('\t') >= 0 || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) return null;
        }
        return NONE.equals(trust) && h.trust().isPresent() ? null : l;
    }
}
