package dev.certops.acme;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateInfo;
import dev.certops.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each certificate's newest complete production (non-staging) version and its leaf summary, from one index file
 * ({@code state/latest-versions.json}) instead of two JSON files per certificate — what a renew run
 * over thousands of certificates reads first. The index is only a cache: every entry is checked
 * against the files before it is used (the certificate's directory has no version numbered higher
 * than the highest one seen when the entry was written, the indexed version's and every higher
 * (staging or incomplete) version's {@code version.json} is as it was then: size, modification time
 * and file key, or still absent). An incomplete version a killed issuance left therefore does not
 * make the entry stale; finishing it does. A missing, unreadable or stale entry is read from the versions
 * ({@link CertificateVersions#list}, {@link CertificateVersions#info}) and the index rewritten,
 * so the answer is always the one the files give.
 */
public final class LatestVersions {
    private static final Logger LOG = LoggerFactory.getLogger(LatestVersions.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() { };

    private final Workspace workspace;
    private final CertificateVersions versions;

    /**
     * A certificate's newest complete production version and what its leaf says. A staging version (an
     * {@code issue --staging} or a drill) is never the answer: it must not hide the version that is renewed,
     * replaced or compared with the hosts.
     */
    public record Latest(CertificateVersions.Version version, CertificateInfo info) { }

    /**
     * One indexed certificate: its newest production version, the {@code version.json} attributes it was read
     * with, and every version directory numbered above it (staging versions, or incomplete ones a killed issuance
     * left) with what its {@code version.json} was then ({@link #signature}; empty: none yet).
     */
    record Entry(String certificate, int version, long size, long modifiedNanos, String fileKey, String ca, boolean staging,
                 String serial, Instant notAfter, Instant issuedAt, String key, CertificateInfo info, Map<Integer, String> above) {
        Entry {
            above = above == null ? Map.of() : Map.copyOf(above);
        }
    }

    public LatestVersions(Workspace workspace, CertificateVersions versions) {
        this.workspace = workspace;
        this.versions = versions;
    }

    public Path file() { return workspace.stateDir().resolve("latest-versions.json"); }

    /** The newest version of each certificate, in the order of {@code ids} (empty: none stored), read on all cores. */
    public List<Optional<Latest>> read(List<String> ids) throws IOException {
        Map<String, Entry> index = load();
        List<Lookup> found;
        try {
            found = ids.parallelStream().map(id -> {
                try {
                    return lookup(id, index.get(id));
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }).toList();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException x) throw x;
            throw e;
        }
        if (found.stream().anyMatch(Lookup::changed)) {
            Map<String, Entry> updated = new LinkedHashMap<>(index);
            for (int i = 0; i < ids.size(); i++) {
                Lookup l = found.get(i);
                if (l.entry().isPresent()) updated.put(ids.get(i), l.entry().get());
                else updated.remove(ids.get(i));
            }
            save(updated.values());
        }
        return found.stream().map(Lookup::latest).toList();
    }

    private record Lookup(Optional<Latest> latest, Optional<Entry> entry, boolean changed) { }

    private Lookup lookup(String id, Entry indexed) throws IOException {
        if (indexed != null) {
            Optional<Latest> valid = check(id, indexed);
            if (valid.isPresent()) return new Lookup(valid, Optional.of(indexed), false);
        }
        Optional<CertificateVersions.Version> v = latestProduction(id);
        if (v.isEmpty()) return new Lookup(Optional.empty(), Optional.empty(), indexed != null);
        CertificateVersions.Version version = v.get();
        CertificateInfo info = versions.info(version);
        Optional<BasicFileAttributes> a = attributes(version.dir().resolve("version.json"));
        Path base = workspace.certsDir().resolve(id);
        Map<Integer, String> above = new TreeMap<>();
        for (int n : CertificateVersions.numbers(base)) {
            if (n > version.number()) above.put(n, signature(base.resolve(String.valueOf(n))));
        }
        Optional<Entry> entry = a.map(x -> new Entry(id, version.number(), x.size(), x.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                String.valueOf(x.fileKey()), version.ca(), version.staging(), version.serial(), version.notAfter(), version.issuedAt(),
                version.keyRef(), info, above));
        return new Lookup(Optional.of(new Latest(version, info)), entry, true);
    }

    private Optional<CertificateVersions.Version> latestProduction(String id) throws IOException {
        List<CertificateVersions.Version> all = versions.list(id);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).staging()) return Optional.of(all.get(i));
        }
        return Optional.empty();
    }

    /** The indexed version, if the files still say it is the newest and its version.json is the one indexed. */
    private Optional<Latest> check(String id, Entry e) {
        Path base = workspace.certsDir().resolve(id);
        int highestSeen = e.above().keySet().stream().mapToInt(Integer::intValue).max().orElse(e.version());
        try {
            if (CertificateVersions.numbers(base).stream().mapToInt(Integer::intValue).max().orElse(-1) != highestSeen) {
                return Optional.empty();
            }
        } catch (IOException x) {
            return Optional.empty();
        }
        for (Map.Entry<Integer, String> above : e.above().entrySet()) {
            if (!signature(base.resolve(String.valueOf(above.getKey()))).equals(above.getValue())) return Optional.empty();
        }
        Path dir = base.resolve(String.valueOf(e.version()));
        Optional<BasicFileAttributes> a = attributes(dir.resolve("version.json"));
        if (a.isEmpty() || a.get().size() != e.size() || a.get().lastModifiedTime().to(TimeUnit.NANOSECONDS) != e.modifiedNanos()
                || !String.valueOf(a.get().fileKey()).equals(e.fileKey())) {
            return Optional.empty();
        }
        return Optional.of(new Latest(new CertificateVersions.Version(id, e.version(), e.ca(), e.staging(), e.serial(), e.notAfter(),
                e.issuedAt(), e.key(), dir), e.info()));
    }

    /** What a version directory's {@code version.json} is now: size, modification time and file key; empty when absent. */
    private static String signature(Path versionDir) {
        return attributes(versionDir.resolve("version.json"))
                .map(x -> x.size() + ":" + x.lastModifiedTime().to(TimeUnit.NANOSECONDS) + ":" + x.fileKey()).orElse("");
    }

    private static Optional<BasicFileAttributes> attributes(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? Optional.of(a) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Map<String, Entry> load() {
        Map<String, Entry> out = new LinkedHashMap<>();
        Path f = file();
        if (!Files.isRegularFile(f)) return out;
        try {
            for (Entry e : JSON.readValue(f.toFile(), ENTRIES)) {
                if (e != null && e.certificate() != null && e.info() != null) out.put(e.certificate(), e);
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("the version index {} cannot be read ({}); reading the versions instead", f, e.getMessage());
            out.clear();
        }
        return out;
    }

    /** Replaces the index atomically; a workspace that cannot be written still works, only slower. */
    private void save(Collection<Entry> entries) {
        Path f = file();
        try {
            if (!Files.isDirectory(f.getParent())) return;
            Path tmp = Files.createTempFile(f.getParent(), "latest-versions", ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), new ArrayList<>(entries));
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.debug("the version index {} cannot be written: {}", f, e.getMessage());
        }
    }
}
