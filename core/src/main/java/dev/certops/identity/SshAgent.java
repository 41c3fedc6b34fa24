package dev.certops.identity;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A client of ssh-agent over the unix socket in {@code $SSH_AUTH_SOCK} (draft-miller-ssh-agent):
 * lists the keys it holds (REQUEST_IDENTITIES) and asks it to sign (SIGN_REQUEST). One connection,
 * opened on first use and re-opened once if the agent dropped it; thread-safe.
 */
public final class SshAgent implements AutoCloseable {
    private static final int FAILURE = 5;
    private static final int REQUEST_IDENTITIES = 11;
    private static final int IDENTITIES_ANSWER = 12;
    private static final int SIGN_REQUEST = 13;
    private static final int SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_512 = 4;
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private SocketChannel channel;

    public SshAgent(Path socket) { this.socket = socket; }

    /** The agent named by {@code $SSH_AUTH_SOCK}, if set. */
    public static Optional<SshAgent> fromEnv(Map<String, String> env) {
        String s = env.get("SSH_AUTH_SOCK");
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(new SshAgent(Path.of(s)));
    }

    public Path socket() { return socket; }

    /** The signing keys the agent holds (keys of other types, and certificates, are left out). */
    public synchronized List<SshPublicKey> keys() throws IdentityException {
        SshWire.In in = call(new SshWire.Out().u8(REQUEST_IDENTITIES).bytes(), IDENTITIES_ANSWER, "list its keys");
        long n = in.u32();
        List<SshPublicKey> keys = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            byte[] blob = in.string();
            String comment = in.text();
            try {
                keys.add(SshPublicKey.fromBlob(blob, comment));
            } catch (IdentityException e) {
                // a key type certops does not sign with (or an SSH certificate): not an identity here
            }
        }
        return keys;
    }

    /** A signing key backed by this agent. */
    public SigningKey key(SshPublicKey key) {
        return new SigningKey() {
            @Override public SshPublicKey publicKey() { return key; }
            @Override public byte[] sign(byte[] data) throws IdentityException { return SshAgent.this.sign(key, data); }
            @Override public String source() { return "ssh-agent (" + socket + ")"; }
        };
    }

    synchronized byte[] sign(SshPublicKey key, byte[] data) throws IdentityException {
        int flags = "ssh-rsa".equals(key.type()) ? RSA_SHA2_512 : 0;
        byte[] request = new SshWire.Out().u8(SIGN_REQUEST).string(key.blob()).string(data).u32(flags).bytes();
        return call(request, SIGN_RESPONSE, "sign with " + key).string();
    }

    private SshWire.In call(byte[] request, int expected, String what) throws IdentityException {
        try {
            return exchange(request, expected, what);
        } catch (IOException first) {
            closeQuietly(); // the agent may have dropped an idle connection: one fresh try
            try {
                return exchange(request, expected, what);
            } catch (IOException e) {
                closeQuietly();
                throw new IdentityException("ssh-agent at " + socket + " did not answer (" + e.getMessage() + "); start it "
                        + "(eval $(ssh-agent)) and add your key (ssh-add), or set CERTOPS_SIGNING_KEY to a key file", e);
            }
        }
    }

    private SshWire.In exchange(byte[] request, int expected, String what) throws IOException, IdentityException {
        if (channel == null || !channel.isOpen()) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        }
        ByteBuffer out = ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
        while (out.hasRemaining()) channel.write(out);
        ByteBuffer len = read(4);
        int n = len.getInt();
        if (n <= 0 || n > MAX_MESSAGE) throw new IOException("the agent sent a message of " + n + " bytes");
        byte[] body = read(n).array();
        SshWire.In in = new SshWire.In(body, "ssh-agent's answer");
        int type = in.u8();
        if (type == FAILURE) {
            throw new IdentityException("ssh-agent refused to " + what + " (it may ask for confirmation, be locked, or no "
                    + "longer hold the key: ssh-add -l lists what it holds)");
        }
        if (type != expected) throw new IOException("the agent answered message type " + type + ", expected " + expected);
        return in;
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) throw new IOException("the agent closed the connection");
        }
        return b.flip();
    }

    private void closeQuietly() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // already failing
        }
        channel = null;
    }

    @Override
    public synchronized void close() { closeQuietly(); }
}
