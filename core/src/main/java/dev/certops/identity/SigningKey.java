package dev.certops.identity;

/** A private key certops can sign with: held by ssh-agent, or read from a key file. */
public interface SigningKey {
    SshPublicKey publicKey();

    /** The key's signature over {@code data}, SSH-encoded (string algorithm, string signature). */
    byte[] sign(byte[] data) throws IdentityException;

    /** Where the key is, for people: "ssh-agent" or the key file's path. */
    String source();
}
