package dev.certops.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Free loopback ports for the fixtures. */
public final class FreePort {
    private FreePort() { }

    /** A loopback TCP port that is free right now. */
    public static int tcp() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** A loopback port free for both TCP and UDP (DNS servers). */
    public static int tcpAndUdp() {
        try {
            return ManagedProcess.freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** {@code n} distinct free TCP ports. */
    public static List<Integer> tcp(int n) {
        List<ServerSocket> held = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        try {
            while (ports.size() < n) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return new ArrayList<>(ports);
        } catch (IOException e) {
            throw new IllegalStateException("not enough free loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try { s.close(); } catch (IOException ignored) { /* released */ }
            }
        }
    }
}
