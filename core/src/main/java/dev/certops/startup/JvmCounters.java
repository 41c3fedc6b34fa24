package dev.certops.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JVM's own performance counters (the ones {@code jcmd PID PerfCounter.print} and {@code jstat -class}
 * show), read from this process's hsperfdata file, which HotSpot keeps mapped and up to date. Used only
 * while tracing start-up: class loading has no public API for its time, and these counters are what
 * HotSpot itself accumulates. Layout: HotSpot's {@code PerfDataPrologue} and {@code PerfDataEntry}
 * (src/hotspot/share/runtime/perfMemory.hpp).
 */
final class JvmCounters {
    private static final int MAGIC = 0xcafec0c0;
    private static final byte TYPE_LONG = 'J';

    private final ByteBuffer buffer;
    private final Map<String, Integer> offsets;
    private final long ticksPerSecond;

    private JvmCounters(ByteBuffer buffer, Map<String, Integer> offsets) {
        this.buffer = buffer;
        this.offsets = offsets;
        long frequency = raw("sun.os.hrt.frequency");
        this.ticksPerSecond = frequency > 0 ? frequency : 1_000_000_000L;
    }

    /** This JVM's counters, or empty when it keeps none (-XX:-UsePerfData) or they cannot be read. */
    static Optional<JvmCounters> open() {
        Path file = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Long.toString(ProcessHandle.current().pid()));
        if (!Files.isReadable(file)) return Optional.empty();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            if (map.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) return Optional.empty();
            ByteOrder order = map.get(4) == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            map.order(order);
            int entryOffset = map.getInt(24);
            int entries = map.getInt(28);
            Map<String, Integer> offsets = new HashMap<>();
            int at = entryOffset;
            for (int i = 0; i < entries && at > 0 && at < map.capacity(); i++) {
                int length = map.getInt(at);
                int nameOffset = map.getInt(at + 4);
                int vectorLength = map.getInt(at + 8);
                byte type = map.get(at + 12);
                int dataOffset = map.getInt(at + 16);
                if (length <= 0) break;
                if (type == TYPE_LONG && vectorLength == 0) offsets.put(name(map, at + nameOffset), at + dataOffset);
                at += length;
            }
            return Optional.of(new JvmCounters(map, offsets));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String name(ByteBuffer map, int from) {
        int end = from;
        while (end < map.capacity() && map.get(end) != 0) end++;
        byte[] bytes = new byte[end - from];
        map.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** A counter's raw value, -1 when this JVM has no such counter. */
    long raw(String name) {
        Integer at = offsets.get(name);
        return at == null ? -1 : buffer.getLong(at);
    }

    /** A tick counter in nanoseconds, -1 when absent. */
    long nanos(String name) {
        long ticks = raw(name);
        return ticks < 0 ? -1 : (long) (ticks * (1_000_000_000.0 / ticksPerSecond));
    }
}
