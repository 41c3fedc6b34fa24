package dev.certops.sshdeploy.connection;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSchException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A host key as the server presented it.
 *
 * @param knownHostsName the name known_hosts lists it under: "host", or "[host]:port" off port 22
 * @param blob           the SSH public key blob
 */
public record PresentedKey(String knownHostsName, byte[] blob) {
    public PresentedKey { blob = blob.clone(); }

    @Override public byte[] blob() { return blob.clone(); }

    /** "SHA256:" + unpadded base64 of the blob's SHA-256, as {@code ssh-keygen -lf} prints it. */
    public String fingerprint() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "ssh-ed25519", "ecdsa-sha2-nistp256", ... */
    public String type() {
        try {
            return new HostKey(knownHostsName, blob).getType();
        } catch (JSchException e) {
            return "unknown";
        }
    }

    /** The line to append to known_hosts. */
    public String knownHostsLine() {
        return knownHostsName + " " + type() + " " + Base64.getEncoder().encodeToString(blob);
    }

    public static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    @Override public String toString() { return knownHostsName + " " + type() + " " + fingerprint(); }
}
