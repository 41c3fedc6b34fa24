package dev.certops.identity;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * OpenSSH's SSHSIG signature (PROTOCOL.sshsig): the signer's public key, a namespace, the hash
 * algorithm (sha512) and the key's signature over {@code "SSHSIG" ‖ namespace ‖ reserved ‖ "sha512" ‖ H(message)}.
 * {@link #armored()} is what {@code ssh-keygen -Y sign} writes and {@code ssh-keygen -Y verify} reads;
 * {@link #base64()} is the same bytes on one line, as history stores them.
 */
public final class SshSignature {
    /** The namespace every certops signature is made in: a signature for git or e-mail is never one for certops. */
    public static final String NAMESPACE = "certops";
    private static final byte[] MAGIC = "SSHSIG".getBytes(US_ASCII);
    private static final String HASH = "sha512";

    private final SshPublicKey key;
    private final String namespace;
    private final byte[] signature;
    private final byte[] encoded;
    private final String hash;

    private SshSignature(SshPublicKey key, String namespace, String hash, byte[] signature, byte[] encoded) {
        this.key = key;
        this.hash = hash;
        this.namespace = namespace;
        this.signature = signature;
        this.encoded = encoded;
    }

    /** Signs {@code message} in the certops namespace with {@code signer}. */
    public static SshSignature sign(SigningKey signer, byte[] message) throws IdentityException {
        byte[] sig = signer.sign(signedData(NAMESPACE, message));
        SshPublicKey key = signer.publicKey();
        byte[] encoded = new SshWire.Out().raw(MAGIC).u32(1).string(key.blob()).string(NAMESPACE).string(new byte[0])
                .string(HASH).string(sig).bytes();
        return new SshSignature(key, NAMESPACE, HASH, sig, encoded);
    }

    /** What the key signs: the SSHSIG preamble, namespace and the message's SHA-512. */
    static byte[] signedData(String namespace, byte[] message) {
        byte[] h = SshPublicKey.digest(new SHA512Digest(), message);
        return new SshWire.Out().raw(MAGIC).string(namespace).string(new byte[0]).string(HASH).string(h).bytes();
    }

    /** Reads a signature, armored ({@code -----BEGIN SSH SIGNATURE-----}) or as one base64 line. */
    public static SshSignature parse(String text) throws IdentityException {
        String b64 = text.replace("-----BEGIN SSH SIGNATURE-----", "").replace("-----END SSH SIGNATURE-----", "")
                .replaceAll("\\s", "");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IdentityException("the signature is not base64");
        }
        SshWire.In in = new SshWire.In(bytes, "the SSHSIG signature");
        byte[] magic = in.raw(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC) || in.u32() != 1) {
            throw new IdentityException("the signature is not an SSHSIG (version 1) signature");
        }
        SshPublicKey key = SshPublicKey.fromBlob(in.string(), "");
        String ns = in.text();
        in.string(); // reserved
        String hash = in.text();
        byte[] sig = in.string();
        if (!HASH.equals(hash) && !"sha256".equals(hash)) {
            throw new IdentityException("the signature uses hash " + hash + "; SSHSIG allows sha512 or sha256");
        }
        if (!in.done()) throw new IdentityException("the SSHSIG signature has trailing bytes");
        return new SshSignature(key, ns, hash, sig, bytes);
    }

    /** The key that made it (still to be checked against the allowed signers). */
    public SshPublicKey key() { return key; }
    public String namespace() { return namespace; }

    /** True when this is {@link #key()}'s signature over {@code message} in the certops namespace. */
    public boolean verifies(byte[] message) {
        if (!NAMESPACE.equals(namespace)) return false;
        byte[] h = SshPublicKey.digest(HASH.equals(hash) ? new SHA512Digest() : new SHA256Digest(), message);
        byte[] data = new SshWire.Out().raw(MAGIC).string(namespace).string(new byte[0]).string(hash).string(h).bytes();
        return key.verifies(data, signature);
    }

    /** One base64 line (how history stores it). */
    public String base64() { return Base64.getEncoder().encodeToString(encoded); }

    /** The armored form {@code ssh-keygen -Y verify -s FILE} reads. */
    public String armored() {
        String b64 = base64();
        StringBuilder sb = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
        for (int i = 0; i < b64.length(); i += 70) sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        return sb.append("-----END SSH SIGNATURE-----\n").toString();
    }
}
