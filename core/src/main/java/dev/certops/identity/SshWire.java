package dev.certops.identity;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;

/** The SSH wire encoding (RFC 4251 §5): uint32 and length-prefixed strings, for key blobs, SSHSIG and the agent protocol. */
final class SshWire {
    private SshWire() { }

    /** Builds a message. */
    static final class Out {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        Out raw(byte[] b) { out.writeBytes(b); return this; }
        Out u8(int v) { out.write(v); return this; }
        Out u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }
        Out string(byte[] b) { return u32(b.length).raw(b); }
        Out string(String s) { return string(s.getBytes(UTF_8)); }
        byte[] bytes() { return out.toByteArray(); }
    }

    /** Reads a message; a truncated one is an {@link IdentityException} naming {@code what}. */
    static final class In {
        private final ByteBuffer buf;
        private final String what;

        In(byte[] data, String what) {
            this.buf = ByteBuffer.wrap(data);
            this.what = what;
        }

        int u8() throws IdentityException {
            try { return buf.get() & 0xff; } catch (BufferUnderflowException e) { throw truncated(); }
        }
        long u32() throws IdentityException {
            try { return buf.getInt() & 0xffffffffL; } catch (BufferUnderflowException e) { throw truncated(); }
        }
        byte[] raw(int n) throws IdentityException {
            if (n < 0 || n > buf.remaining()) throw truncated();
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }
        byte[] string() throws IdentityException {
            long n = u32();
            if (n > buf.remaining()) throw truncated();
            return raw((int) n);
        }
        String text() throws IdentityException { return new String(string(), UTF_8); }
        boolean done() { return !buf.hasRemaining(); }

        private IdentityException truncated() { return new IdentityException(what + " is truncated or malformed"); }
    }
}
