package dev.certops.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A workspace's {@code secrets/} folder: account keys, private keys, EAB HMACs, passwords. The
 * folder is 0700 and every file 0600 from the moment it exists (created with those permissions,
 * written, synced, renamed into place). With a passphrase, contents are encrypted at rest:
 * {@code CERTOPSENC1 | salt(16) | iv(12) | AES-256-GCM(ciphertext+tag)}, key = PBKDF2-HMAC-SHA256
 * (210,000 iterations) of the passphrase and salt. A plaintext file stays readable when a passphrase
 * is set (so a workspace can be moved to encryption); it is encrypted the next time it is written.
 */
public final class SecretStore {
    private static final byte[] MAGIC = "CERTOPSENC1".getBytes(StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 210_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Optional<char[]> passphrase;
    private final Map<String, SecretKeySpec> keyCache = new ConcurrentHashMap<>();

    public SecretStore(Path dir, Optional<char[]> passphrase) {
        this.dir = dir.toAbsolutePath();
        this.passphrase = passphrase.map(char[]::clone);
        passphrase.ifPresent(Redactor.global()::register);
    }

    public boolean encrypted() { return passphrase.isPresent(); }

    public void write(String name, byte[] content) throws IOException {
        Path target = path(name);
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] data = passphrase.isPresent() ? encrypt(content) : content;
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public byte[] read(String name) throws IOException {
        Path p = path(name);
        byte[] raw;
        try {
            raw = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException("secrets/" + name, null, "no such secret: create it with mode 0600 in " + dir);
        }
        if (!isEncrypted(raw)) return remembered(raw);
        if (passphrase.isEmpty()) {
            throw new IOException("secrets/" + name + " is encrypted: set CERTOPS_PASSPHRASE to the workspace passphrase");
        }
        return remembered(decrypt(name, raw));
    }

    /** Every secret value read is known to the redactor, so it never reaches history, logs or output. */
    private static byte[] remembered(byte[] value) {
        if (value.length < 4096) Redactor.global().register(value); // PEM keys are refused by history on their own
        return value;
    }

    public boolean exists(String name) { return Files.isRegularFile(path(name)); }

    /** The name of a secret stored encrypted, if any: such a workspace cannot be used without its passphrase. */
    public Optional<String> anyEncrypted() throws IOException {
        for (String name : list()) {
            byte[] head = new byte[MAGIC.length + 1];
            try (var in = Files.newInputStream(dir.resolve(name))) {
                if (in.readNBytes(head, 0, head.length) == head.length && isEncrypted(head)) return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    public void delete(String name) throws IOException { Files.deleteIfExists(path(name)); }

    /** Names of the secrets, sorted. */
    public List<String> list() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.contains("/.") && !n.startsWith(".")).sorted().forEach(out::add);
        }
        return out;
    }

    public void writePrivateKey(String name, PrivateKey key) throws IOException {
        write(name, PemWriter.privateKey(key, Optional.empty()).getBytes(StandardCharsets.US_ASCII));
    }

    public PrivateKey readPrivateKey(String name) throws IOException, CryptoException {
        return PemReader.readPrivateKey(new String(read(name), StandardCharsets.US_ASCII), "secrets/" + name, Optional.empty());
    }

    private Path path(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a secret name — allowed: letters, digits, '.', '_', '-', one optional 'folder/'");
        }
        return dir.resolve(name);
    }

    private static boolean isEncrypted(byte[] raw) {
        return raw.length > MAGIC.length && Arrays.equals(Arrays.copyOf(raw, MAGIC.length), MAGIC);
    }

    private byte[] encrypt(byte[] content) throws IOException {
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(content);
            return ByteBuffer.allocate(MAGIC.length + 28 + ct.length).put(MAGIC).put(salt).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt a secret: " + e.getClass().getSimpleName(), e);
        }
    }

    private byte[] decrypt(String name, byte[] raw) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(raw, MAGIC.length, raw.length - MAGIC.length);
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        b.get(salt).get(iv);
        byte[] ct = new byte[b.remaining()];
        b.get(ct);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
            return c.doFinal(ct);
        } catch (AEADBadTagException e) {
            throw new IOException("secrets/" + name + " is encrypted with a different passphrase: set CERTOPS_PASSPHRASE to the workspace passphrase");
        } catch (GeneralSecurityException e) {
            throw new IOException("secrets/" + name + " cannot be decrypted (" + e.getClass().getSimpleName() + "): the file may be damaged");
        }
    }

    private SecretKeySpec key(byte[] salt) throws GeneralSecurityException {
        String cacheKey = HexFormat.of().formatHex(salt);
        SecretKeySpec k = keyCache.get(cacheKey);
        if (k == null) {
            PBEKeySpec spec = new PBEKeySpec(passphrase.orElseThrow(), salt, ITERATIONS, 256);
            k = new SecretKeySpec(SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded(), "AES");
            spec.clearPassword();
            keyCache.put(cacheKey, k);
        }
        return k;
    }

    @Override
    public String toString() { return "SecretStore[" + dir + (passphrase.isPresent() ? ", encrypted" : "") + "]"; }
}
