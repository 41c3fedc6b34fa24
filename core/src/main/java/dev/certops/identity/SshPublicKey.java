package dev.certops.identity;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * An SSH public key as OpenSSH writes it ({@code ssh-ed25519 AAAA… comment}): ed25519, RSA and
 * ECDSA (nistp256/384/521). Knows its SHA256 fingerprint and checks SSH signatures made with it.
 */
public final class SshPublicKey {
    /** The key types certops accepts as identities. */
    public static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521");

    private final String type;
    private final byte[] blob;
    private final String comment;
    private final AsymmetricKeyParameter key;
    private final String fingerprint;

    private SshPublicKey(String type, byte[] blob, String comment) throws IdentityException {
        this.type = type;
        this.blob = blob.clone();
        this.comment = comment;
        try {
            this.key = OpenSSHPublicKeyUtil.parsePublicKey(blob);
        } catch (RuntimeException e) {
            throw new IdentityException("the " + type + " public key cannot be read (" + e.getMessage() + ")");
        }
        this.fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(sha256(blob));
    }

    /** From the SSH wire blob (as ssh-agent lists keys and SSHSIG carries them). */
    public static SshPublicKey fromBlob(byte[] blob, String comment) throws IdentityException {
        String type = new SshWire.In(blob, "the public key").text();
        if (!TYPES.contains(type)) {
            throw new IdentityException("key type " + type + " is not supported for signing; use ssh-ed25519 (or RSA / ECDSA)");
        }
        return new SshPublicKey(type, blob, comment == null ? "" : comment);
    }

    /** From an OpenSSH public key line: {@code TYPE BASE64 [comment]}. */
    public static SshPublicKey parse(String line) throws IdentityException {
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw new IdentityException("'" + abbreviate(line) + "' is not an SSH public key: expected 'ssh-ed25519 AAAA… [comment]' "
                    + "(or ssh-rsa / ecdsa-sha2-nistp256), as in a .pub file");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IdentityException("the key data of '" + abbreviate(line) + "' is not base64");
        }
        SshPublicKey k = fromBlob(blob, parts.length > 2 ? parts[2] : "");
        if (!k.type.equals(parts[0])) {
            throw new IdentityException("'" + abbreviate(line) + "' says " + parts[0] + " but its key data is " + k.type);
        }
        return k;
    }

    public String type() { return type; }
    public byte[] blob() { return blob.clone(); }
    public String comment() { return comment; }
    /** {@code SHA256:…}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() { return fingerprint; }
    /** {@code TYPE BASE64}, without the comment. */
    public String openSsh() { return type + " " + Base64.getEncoder().encodeToString(blob); }

    /** The signature algorithm certops asks for with this key (RSA: rsa-sha2-512, as ssh-keygen -Y sign does). */
    String signatureAlgorithm() { return "ssh-rsa".equals(type) ? "rsa-sha2-512" : type; }

    /**
     * Whether {@code sshSignature} (SSH encoding: string algorithm, string signature) is this key's
     * signature over {@code data}.
     */
    public boolean verifies(byte[] data, byte[] sshSignature) {
        try {
            SshWire.In in = new SshWire.In(sshSignature, "the signature");
            String alg = in.text();
            byte[] sig = in.string();
            if (key instanceof Ed25519PublicKeyParameters ed && "ssh-ed25519".equals(alg)) {
                Ed25519Signer s = new Ed25519Signer();
                s.init(false, ed);
                s.update(data, 0, data.length);
                return s.verifySignature(sig);
            }
            if (key instanceof RSAKeyParameters rsa && (alg.equals("rsa-sha2-512") || alg.equals("rsa-sha2-256"))) {
                RSADigestSigner s = new RSADigestSigner(alg.endsWith("512") ? new SHA512Digest() : new SHA256Digest());
                s.init(false, rsa);
                s.update(data, 0, data.length);
                return s.verifySignature(sig);
            }
            if (key instanceof ECPublicKeyParameters ec && alg.equals(type)) {
                SshWire.In rs = new SshWire.In(sig, "the ECDSA signature");
                BigInteger r = new BigInteger(rs.string());
                BigInteger s = new BigInteger(rs.string());
                ECDSASigner v = new ECDSASigner();
                v.init(false, ec);
                return v.verifySignature(digest(ecDigest(type), data), r, s);
            }
            return false;
        } catch (IdentityException | RuntimeException e) {
            return false;
        }
    }

    static Digest ecDigest(String type) {
        return switch (type) {
            case "ecdsa-sha2-nistp384" -> new SHA384Digest();
            case "ecdsa-sha2-nistp521" -> new SHA512Digest();
            default -> new SHA256Digest();
        };
    }

    static byte[] digest(Digest d, byte[] data) {
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    private static String abbreviate(String line) {
        String s = line.strip();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    @Override public boolean equals(Object o) { return o instanceof SshPublicKey k && Arrays.equals(blob, k.blob); }
    @Override public int hashCode() { return Arrays.hashCode(blob); }
    /** The fingerprint and the comment: how people recognise a key. */
    @Override public String toString() { return type + " " + fingerprint + (comment.isEmpty() ? "" : " (" + comment + ")"); }

}
