package dev.certops.testing;

import dev.certops.sandbox.LoopbackPorts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Free loopback ports for the fixtures (below the ephemeral range, disjoint per test JVM: {@link LoopbackPorts}). */
public final class FreePort {
    private FreePort() { }

    /** A loopback TCP port that is free right now. */
    public static int tcp() {
        try {
            return LoopbackPorts.tcp();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A loopback port free for both TCP and UDP (DNS servers). */
    public static int tcpAndUdp() {
        try {
            return LoopbackPorts.tcpAndUdp();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** {@code n} distinct free TCP ports. */
    public static List<Integer> tcp(int n) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < n) ports.add(tcp());
        return new ArrayList<>(ports);
    }
}
