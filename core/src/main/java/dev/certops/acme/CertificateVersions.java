package dev.certops.acme;

import dev.certops.config.Workspace;
import dev.certops.crypto.CertificateInfo;
import dev.certops.crypto.CryptoException;
import dev.certops.crypto.PemReader;
import dev.certops.crypto.PemWriter;
import dev.certops.crypto.SecretStore;
import dev.certops.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Issued certificates, one numbered version per issuance: {@code certs/<id>/<n>/cert.pem,
 * chain.pem, fullchain.pem, version.json}, the key in {@code secrets/<id>-<n>.key}. Earlier versions
 * stay until deleted on purpose (rollback and audits need them).
 */
public final class CertificateVersions {
    /** The CA of a version bought elsewhere and brought in with {@code import pem}: certops cannot renew it, a person does. */
    public static final String MANUAL_CA = "manual";
    private final Workspace workspace;
    private final SecretStore secrets;

    /** What is known about one stored version. */
    public record Version(String certificateId, int number, String ca, boolean staging, String serial, Instant notAfter,
                          Instant issuedAt, String keyRef, Path dir) { }

    public CertificateVersions(Workspace workspace, SecretStore secrets) {
        this.workspace = workspace;
        this.secrets = secrets;
    }

    /** Stores a new version (the key first, then the files, then version.json last: a version without it is incomplete). */
    public Version store(String certificateId, List<X509Certificate> chain, PrivateKey key, String ca, boolean staging, Instant now)
            throws IOException {
        Path base = workspace.certsDir().resolve(certificateId);
        Files.createDirectories(base);
        int n = numbers(base).stream().max(Comparator.naturalOrder()).orElse(0) + 1;
        Path dir = base.resolve(String.valueOf(n));
        Files.createDirectories(dir);
        String keyRef = certificateId + "-" + n + ".key";
        secrets.writePrivateKey(keyRef, key);
        Files.writeString(dir.resolve("cert.pem"), PemWriter.certificate(chain.get(0)));
        Files.writeString(dir.resolve("chain.pem"), PemWriter.certificates(chain.subList(1, chain.size())));
        Files.writeString(dir.resolve("fullchain.pem"), PemWriter.certificates(chain));
        CertificateInfo info = CertificateInfo.from(chain.get(0));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("certificate", certificateId);
        meta.put("version", n);
        meta.put("ca", ca);
        meta.put("staging", staging);
        meta.put("serial", info.serial());
        meta.put("notAfter", info.notAfter().toString());
        meta.put("issuedAt", now.toString());
        meta.put("key", keyRef);
        Files.writeString(dir.resolve("version.json"), Json.plainIndented(meta));
        return new Version(certificateId, n, ca, staging, info.serial(), info.notAfter(), now, keyRef, dir);
    }

    /**
     * Writes the history event that recorded this version's issuance (seq and hash) into its version.json:
     * one more copy of the chain's head outside the database, checked by {@code certops audit verify}.
     */
    public void anchor(Version v, long seq, String hash) throws IOException {
        Path f = v.dir().resolve("version.json");
        if (!(Json.readPlain(Files.readString(f)) instanceof Map<?, ?> read)) throw new IOException(f + " does not hold a JSON object");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) read;
        Map<String, Object> anchor = new LinkedHashMap<>();
        anchor.put("seq", seq);
        anchor.put("hash", hash);
        meta.put("historyAnchor", anchor);
        Path tmp = f.resolveSibling(".version.json.tmp");
        Files.writeString(tmp, Json.plainIndented(meta));
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every complete version, oldest first. */
    public List<Version> list(String certificateId) throws IOException {
        Path base = workspace.certsDir().resolve(certificateId);
        if (!Files.isDirectory(base)) return List.of();
        List<Version> out = new ArrayList<>();
        for (int n : numbers(base).stream().sorted().toList()) read(certificateId, n).ifPresent(out::add);
        return out;
    }

    /** The newest complete version: read from the highest number down, so only the newest version.json is usually read. */
    public Optional<Version> latest(String certificateId) throws IOException {
        Path base = workspace.certsDir().resolve(certificateId);
        if (!Files.isDirectory(base)) return Optional.empty();
        for (int n : numbers(base).stream().sorted(Comparator.reverseOrder()).toList()) {
            Optional<Version> v = read(certificateId, n);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }

    /** Whether any complete version is stored (a new order for the certificate is then a renewal). */
    public boolean any(String certificateId) throws IOException {
        return latest(certificateId).isPresent();
    }


    /** The leaf certificate of a stored version. */
    public X509Certificate leaf(Version v) throws IOException {
        try {
            return PemReader.readCertificates(v.dir().resolve("cert.pem")).get(0);
        } catch (CryptoException e) {
            throw new IOException(v.certificateId() + " version " + v.number() + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a stored version's leaf says. A version never changes, so the summary is kept beside it
     * ({@code info.json}, written the first time it is needed) and read from there afterwards: a renew
     * run over thousands of certificates then parses no PEM. A missing or unreadable summary is rebuilt.
     */
    public CertificateInfo info(Version v) throws IOException {
        Path cache = v.dir().resolve("info.json");
        if (Files.isRegularFile(cache)) {
            try {
                return Json.mapper().readValue(cache.toFile(), CertificateInfo.class);
            } catch (IOException e) {
                // rebuilt below
            }
        }
        CertificateInfo info = CertificateInfo.from(leaf(v));
        try {
            Path tmp = Files.createTempFile(v.dir(), "info", ".tmp");
            Files.writeString(tmp, Json.mapper().writeValueAsString(info));
            Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // a read-only workspace still works, it only parses each time
        }
        return info;
    }

    public Optional<Version> read(String certificateId, int n) throws IOException {
        Path dir = workspace.certsDir().resolve(certificateId).resolve(String.valueOf(n));
        Path meta = dir.resolve("version.json");
        if (!Files.isRegularFile(meta)) return Optional.empty();
        Json.Flat m = Json.flat(Files.readString(meta));   // the streaming parser alone: no object mapper to list versions
        return Optional.of(new Version(certificateId, n, m.text("ca", ""), m.bool("staging"), m.text("serial", ""),
                Instant.parse(m.text("notAfter", "")), Instant.parse(m.text("issuedAt", "")), m.text("key", ""), dir));
    }

    /** The full chain of a version. */
    public String fullchainPem(Version v) throws IOException {
        return Files.readString(v.dir().resolve("fullchain.pem"), StandardCharsets.US_ASCII);
    }

    public SecretStore secrets() { return secrets; }

    /** The numbers of a certificate's version directories (names of 1–9 digits), complete or not, unordered. */
    static List<Integer> numbers(Path base) throws IOException {
        try (Stream<Path> s = Files.list(base)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(x -> x.matches("\\d{1,9}")).map(Integer::parseInt).toList();
        }
    }
}
