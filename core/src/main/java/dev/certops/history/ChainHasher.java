package dev.certops.history;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes event hashes; the format is documented on {@link SqliteHistoryStore}. Not thread-safe:
 * one instance per writer or per verification, reusing its {@link MessageDigest}.
 */
final class ChainHasher {
    private static final byte NL = '\n';
    private static final byte[] HEX = "0123456789abcdef".getBytes(US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    private final MessageDigest sha256;
    private final byte[] hex = new byte[64];

    ChainHasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    /** The hex hash of an event about to be stored. */
    String hash(String prevHash, long seq, long timeMillis, String actor, String kind, String subject,
                String outcome, String details) {
        byte[] out = hashHex(prevHash.getBytes(UTF_8), seq, timeMillis, actor.getBytes(UTF_8), kind.getBytes(UTF_8),
                subject.getBytes(UTF_8), outcome.getBytes(UTF_8), details.getBytes(UTF_8));
        return new String(out, US_ASCII);
    }

    /**
     * The hex hash (ASCII bytes) over stored UTF-8 columns; null columns count as empty. The returned
     * array is reused by the next call.
     */
    byte[] hashHex(byte[] prevHash, long seq, long timeMillis, byte[] actor, byte[] kind, byte[] subject,
                   byte[] outcome, byte[] details) {
        MessageDigest md = sha256;
        md.update(orEmpty(prevHash));
        md.update(NL);
        md.update(Long.toString(seq).getBytes(US_ASCII));
        md.update(NL);
        md.update(Long.toString(timeMillis).getBytes(US_ASCII));
        md.update(NL);
        md.update(orEmpty(actor));
        md.update(NL);
        md.update(orEmpty(kind));
        md.update(NL);
        md.update(orEmpty(subject));
        md.update(NL);
        md.update(orEmpty(outcome));
        md.update(NL);
        md.update(orEmpty(details));
        byte[] digest = md.digest();
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return hex;
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? EMPTY : b;
    }
}
