package dev.certops.identity;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;

/**
 * A signing key read from an OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----},
 * what {@code ssh-keygen} writes), without a passphrase. A key with a passphrase belongs in
 * ssh-agent ({@code ssh-add FILE}): certops never asks for SSH passphrases.
 */
public final class KeyFileSigner implements SigningKey {
    private static final byte[] AUTH_MAGIC = "openssh-key-v1\0".getBytes(US_ASCII);

    private final Path file;
    private final SshPublicKey publicKey;
    private final AsymmetricKeyParameter privateKey;

    private KeyFileSigner(Path file, SshPublicKey publicKey, AsymmetricKeyParameter privateKey) {
        this.file = file;
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    public static KeyFileSigner read(Path file) throws IdentityException {
        String text;
        try {
            text = Files.readString(file, US_ASCII);
        } catch (IOException e) {
            throw new IdentityException("the signing key file " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
        int begin = text.indexOf("-----BEGIN OPENSSH PRIVATE KEY-----");
        int end = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IdentityException(file + " is not an OpenSSH private key file (-----BEGIN OPENSSH PRIVATE KEY-----); "
                    + "make one with ssh-keygen -t ed25519, or convert with ssh-keygen -p -f FILE");
        }
        byte[] blob;
        try {
            blob = Base64.getMimeDecoder().decode(text.substring(begin + 35, end));
        } catch (IllegalArgumentException e) {
            throw new IdentityException(file + " is damaged: its key data is not base64");
        }
        SshWire.In in = new SshWire.In(blob, "the key file " + file);
        if (!Arrays.equals(in.raw(AUTH_MAGIC.length), AUTH_MAGIC)) throw new IdentityException(file + " is not an openssh-key-v1 file");
        String cipher = in.text();
        if (!"none".equals(cipher)) {
            throw new IdentityException(file + " is protected by a passphrase: add it to ssh-agent (ssh-add " + file
                    + ") and let certops sign through the agent; certops does not ask for SSH passphrases");
        }
        in.text(); // kdf
        in.string(); // kdf options
        if (in.u32() != 1) throw new IdentityException(file + " holds several keys; give a file with one");
        SshPublicKey pub = SshPublicKey.fromBlob(in.string(), file.getFileName().toString());
        AsymmetricKeyParameter priv;
        try {
            priv = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
        } catch (RuntimeException e) {
            throw new IdentityException(file + " cannot be read as a private key (" + e.getMessage() + ")");
        }
        return new KeyFileSigner(file, pub, priv);
    }

    @Override public SshPublicKey publicKey() { return publicKey; }
    @Override public String source() { return file.toString(); }

    @Override
    public byte[] sign(byte[] data) throws IdentityException {
        if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, ed);
            s.update(data, 0, data.length);
            return encode("ssh-ed25519", s.generateSignature());
        }
        try {
            if (privateKey instanceof RSAKeyParameters rsa) {
                RSADigestSigner s = new RSADigestSigner(new SHA512Digest());
                s.init(true, rsa);
                s.update(data, 0, data.length);
                return encode("rsa-sha2-512", s.generateSignature());
            }
            if (privateKey instanceof ECPrivateKeyParameters ec) {
                ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                s.init(true, ec);
                BigInteger[] rs = s.generateSignature(SshPublicKey.digest(SshPublicKey.ecDigest(publicKey.type()), data));
                return encode(publicKey.type(), new SshWire.Out().string(rs[0].toByteArray()).string(rs[1].toByteArray()).bytes());
            }
        } catch (CryptoException e) {
            throw new IdentityException("signing with " + file + " failed: " + e.getMessage(), e);
        }
        throw new IdentityException("the key in " + file + " (" + publicKey.type() + ") cannot sign here");
    }

    private static byte[] encode(String alg, byte[] sig) {
        return new SshWire.Out().string(alg).string(sig).bytes();
    }
}
