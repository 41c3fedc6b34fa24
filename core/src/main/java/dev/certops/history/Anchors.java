package dev.certops.history;

import dev.certops.crypto.SecretStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The chain's head kept outside the database, so that deleting the last events, recomputing the
 * whole chain or deleting history.db is detected by {@code certops audit verify}:
 * <ul>
 *   <li>{@code state/history.head}: "seq hash" of the newest event, rewritten after every append;</li>
 *   <li>{@code state/history.checkpoints}: one line per checkpoint, "seq hash epochMillis signature",
 *       signed with an Ed25519 key kept in {@code secrets/history-checkpoint.key} (encrypted when the
 *       workspace has a passphrase); its public key is {@code state/history-checkpoint.pub}. A checkpoint
 *       is added at the end of every command that appended events.</li>
 * </ul>
 * The signed message is {@code "certops-checkpoint\n" seq "\n" hash "\n" epochMillis} in UTF-8.
 * Someone with file access but without the key can delete or rewrite history and the head file, but
 * not forge a checkpoint; with the key, an auditor needs an anchor kept elsewhere ({@code audit anchor}).
 */
public final class Anchors {
    static final String HEAD = "history.head";
    static final String CHECKPOINTS = "history.checkpoints";
    static final String PUBLIC_KEY = "history-checkpoint.pub";
    public static final String KEY_SECRET = "history-checkpoint.key";

    /** A point of the chain: its seq and hash. */
    public record Head(long seq, String hash) {
        public String line() { return seq + " " + hash; }
    }

    /** A signed head. */
    public record Checkpoint(long seq, String hash, long epochMillis, String signature) { }

    private final Path stateDir;
    private final String prefix;

    public Anchors(Path stateDir) { this(stateDir, ""); }

    private Anchors(Path stateDir, String prefix) {
        this.stateDir = stateDir;
        this.prefix = prefix;
    }

    /**
     * Team mode: the anchors this console keeps of the shared PostgreSQL chain, in its workspace's state/ as
     * {@code team-history.head} and {@code team-history.checkpoints} (signed with the same workspace key), apart from
     * those of a local history.db the workspace may have had before. Each console anchors the head as it last saw it:
     * other consoles appending after it is expected; the chain ending before it, or another hash there, is not.
     */
    public static Anchors team(Path stateDir) { return new Anchors(stateDir, "team-"); }

    /** The anchors of the local history file {@code db} (its workspace's state/ folder). */
    public static Anchors beside(Path db) { return new Anchors(db.toAbsolutePath().getParent().resolve("state")); }

    /**
     * Whether this workspace must hold these anchors once its history has events: yes for a local history; in team
     * mode a console that never wrote to the shared chain has none, so only one anchor missing beside the other counts.
     */
    public boolean requiredOnceWritten() { return prefix.isEmpty(); }

    public Path headFile() { return stateDir.resolve(prefix + HEAD); }
    public Path checkpointsFile() { return stateDir.resolve(prefix + CHECKPOINTS); }
    public Path publicKeyFile() { return stateDir.resolve(PUBLIC_KEY); }

    /** Whether any anchor exists (then an empty or missing history is a loss, never a fresh start). */
    public boolean any() { return Files.exists(headFile()) || Files.exists(checkpointsFile()); }

    /** The recorded head, if the head file exists and reads. */
    public Optional<Head> head() throws IOException {
        if (!Files.exists(headFile())) return Optional.empty();
        return Optional.of(parseHead(Files.readString(headFile()).strip()));
    }

    static Head parseHead(String line) throws IOException {
        String[] p = line.split(" ");
        try {
            return new Head(Long.parseLong(p[0]), p[1]);
        } catch (RuntimeException e) {
            throw new IOException("'" + line + "' is not 'SEQ HASH'");
        }
    }

    /** Rewrites the head file (atomically; not synced: the database is the durable copy, this is its witness). */
    void writeHead(Head head) throws IOException {
        if (!Files.isDirectory(stateDir)) return; // a bare history file outside a workspace has no anchors
        Path tmp = stateDir.resolve("." + prefix + HEAD + ".tmp");
        Files.writeString(tmp, head.line() + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, headFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, headFile(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public List<Checkpoint> checkpoints() throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        if (!Files.exists(checkpointsFile())) return out;
        for (String line : Files.readAllLines(checkpointsFile(), StandardCharsets.US_ASCII)) {
            if (line.isBlank()) continue;
            String[] p = line.strip().split(" ");
            try {
                out.add(new Checkpoint(Long.parseLong(p[0]), p[1], Long.parseLong(p[2]), p[3]));
            } catch (RuntimeException e) {
                throw new IOException(checkpointsFile() + " has a line that is not 'SEQ HASH MILLIS SIGNATURE': " + line);
            }
        }
        return out;
    }

    /**
     * The newest checkpoint, from the file's last line alone: the file gains a line per command that wrote history, and
     * every command checks it at its end (reading all of it grew with the workspace's age). {@code audit verify} reads
     * every line ({@link #checkpoints()}).
     */
    Optional<Checkpoint> newestCheckpoint() throws IOException {
        Path f = checkpointsFile();
        if (!Files.exists(f)) return Optional.empty();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 4096);
            ByteBuffer buf = ByteBuffer.allocate(tail);
            while (buf.hasRemaining() && ch.read(buf, size - tail + buf.position()) > 0) { }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
            int start = text.lastIndexOf('\n') + 1;
            if (start == 0 && tail < size) {
                List<Checkpoint> all = checkpoints(); // a last line longer than the tail read: never written so, read it all
                return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
            }
            String line = text.substring(start);
            if (line.isBlank()) return Optional.empty();
            String[] p = line.strip().split(" ");
            try {
                return Optional.of(new Checkpoint(Long.parseLong(p[0]), p[1], Long.parseLong(p[2]), p[3]));
            } catch (RuntimeException e) {
                throw new IOException(f + " has a line that is not 'SEQ HASH MILLIS SIGNATURE': " + line);
            }
        }
    }

    /**
     * Signs {@code head} as a new checkpoint (creating the key pair on first use) unless the newest
     * checkpoint already covers it.
     */
    public void checkpoint(Head head, SecretStore secrets, long epochMillis) throws IOException, GeneralSecurityException {
        if (!Files.isDirectory(stateDir) || head.seq() == 0) return;
        // the head anchor follows what is signed (team mode: a console that only read the shared chain anchors what it saw)
        if (head().map(h -> h.seq() < head.seq()).orElse(true)) writeHead(head);
        Optional<Checkpoint> newest = newestCheckpoint();
        if (newest.isPresent() && newest.get().seq() >= head.seq()) return;
        PrivateKey key = key(secrets);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(message(head.seq(), head.hash(), epochMillis));
        String sig = Base64.getEncoder().encodeToString(s.sign());
        Path f = checkpointsFile();
        if (!Files.exists(f)) Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, head.line() + " " + epochMillis + " " + sig + "\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
    }

    private PrivateKey key(SecretStore secrets) throws IOException, GeneralSecurityException {
        if (secrets.exists(KEY_SECRET)) {
            byte[] pkcs8 = Base64.getDecoder().decode(new String(secrets.read(KEY_SECRET), StandardCharsets.US_ASCII).strip());
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        secrets.write(KEY_SECRET, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(publicKeyFile(), Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()) + "\n", StandardCharsets.US_ASCII);
        return kp.getPrivate();
    }

    /** The checkpoint public key, if present. */
    public Optional<PublicKey> publicKey() throws IOException {
        if (!Files.exists(publicKeyFile())) return Optional.empty();
        try {
            byte[] der = Base64.getDecoder().decode(Files.readString(publicKeyFile()).strip());
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(publicKeyFile() + " is not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** Whether {@code c}'s signature verifies with {@code key}. */
    public static boolean signatureHolds(Checkpoint c, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message(c.seq(), c.hash(), c.epochMillis()));
            return s.verify(Base64.getDecoder().decode(c.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static byte[] message(long seq, String hash, long epochMillis) {
        return ("certops-checkpoint\n" + seq + "\n" + hash + "\n" + epochMillis).getBytes(StandardCharsets.UTF_8);
    }
}
