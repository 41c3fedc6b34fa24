package dev.certops.sandbox;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that certops (the sandbox) or its tests start as separate processes.
 *
 * <p>A port is picked now and bound later by another process, and bound again after a restart
 * ({@code sandbox break}/{@code fix}). A port from the kernel's ephemeral range (32768–60999 on Linux)
 * can be taken in between by any outgoing connection on the machine, so ports come from below it, at
 * random, and are never handed out twice by one JVM. Test JVMs running side by side (surefire's
 * {@code certops.test.fork}) get disjoint ranges; {@code -Dcertops.ports=LOW-HIGH} sets the range.
 */
public final class LoopbackPorts {
    private static final int[] RANGE = range();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() { }

    /** A loopback TCP port that is free now and that no earlier call of this JVM returned. */
    public static int tcp() throws IOException {
        return pick(false);
    }

    /** A loopback port free for both TCP and UDP (DNS servers). */
    public static int tcpAndUdp() throws IOException {
        return pick(true);
    }

    private static int pick(boolean udpToo) throws IOException {
        int size = RANGE[1] - RANGE[0] + 1;
        if (HANDED_OUT.size() > size / 2) HANDED_OUT.clear();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = RANGE[0] + ThreadLocalRandom.current().nextInt(size);
            if (HANDED_OUT.contains(port)) continue;
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(loopback, port), 1);
                if (udpToo) {
                    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                        udp.getLocalPort();
                    }
                }
            } catch (IOException taken) {
                continue;
            }
            if (HANDED_OUT.add(port)) return port;
        }
        throw new IOException("no free loopback port between " + RANGE[0] + " and " + RANGE[1]);
    }

    private static int[] range() {
        String set = System.getProperty("certops.ports", "");
        if (set.matches("\\d{4,5}-\\d{4,5}")) {
            String[] p = set.split("-");
            int low = Integer.parseInt(p[0]);
            int high = Integer.parseInt(p[1]);
            if (low >= 1024 && high <= 65535 && high - low >= 100) return new int[] {low, high};
        }
        String fork = System.getProperty("certops.test.fork", "");
        if (fork.matches("\\d{1,4}")) {
            int slot = (Integer.parseInt(fork) - 1 + 4) % 4;
            int low = 12000 + slot * 5000;
            return new int[] {low, low + 4999};
        }
        return new int[] {20000, 32000};
    }
}
