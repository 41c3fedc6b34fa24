package dev.certops.startup;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code CERTOPS_TRACE_STARTUP=1}: each start-up phase of a command (or of the console) with its wall
 * time and the class loading inside it, printed to stderr when the command ends. Off, a phase costs one
 * boolean test. Phases nest ({@link #phase} inside another is indented under it); the table starts at the
 * launcher script (when it passed its start time) and the JVM's own boot, from HotSpot's counters.
 * What the phases were measured to cost, and why they are what they are: docs/decisions/0017.
 */
public final class StartupTrace {
    /** The environment variable that switches tracing on. */
    public static final String ENV = "CERTOPS_TRACE_STARTUP";
    /** Set by ./certops while tracing: the shell's $EPOCHREALTIME when the launcher started. */
    static final String LAUNCHER_START = "certops.trace.launcherStart";

    private static final boolean ENABLED = isOn(System.getenv(ENV));
    private static final Phase OFF = () -> { };
    private static final List<Span> SPANS = new ArrayList<>();
    private static Optional<JvmCounters> counters = Optional.empty();
    /** Phases nest per thread; a phase on another thread than the JVM's main thread is marked with that thread's name. */
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static boolean reported;

    /** A phase that ends when closed (try-with-resources). */
    public interface Phase extends AutoCloseable {
        @Override
        void close();
    }

    private StartupTrace() { }

    static boolean isOn(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes"));
    }

    public static boolean enabled() { return ENABLED; }

    /** Starts a phase named for a person ("picocli model", "history open"). */
    public static Phase phase(String name) {
        if (!ENABLED) return OFF;
        synchronized (StartupTrace.class) {
            if (SPANS.isEmpty()) counters = JvmCounters.open();
            int[] depth = DEPTH.get();
            String thread = Thread.currentThread().getName();
            String shown = thread.equals("main") ? name : "[" + thread.replaceFirst("^certops-", "") + "] " + name;
            Span span = new Span(shown, depth[0]++, System.nanoTime(), Sample.now(counters));
            SPANS.add(span);
            return () -> {
                synchronized (StartupTrace.class) {
                    if (span.end == null) {
                        span.endNanos = System.nanoTime();
                        span.end = Sample.now(counters);
                        depth[0]--;
                    }
                }
            };
        }
    }

    /** Runs {@code work} as a phase. */
    public static void timed(String name, Runnable work) {
        try (Phase p = phase(name)) {
            work.run();
        }
    }

    /** Prints the table (once per process; nothing when tracing is off). */
    public static synchronized void report(PrintStream err) {
        if (!ENABLED || reported) return;
        reported = true;
        long endNanos = System.nanoTime();
        long endMillis = System.currentTimeMillis();
        Sample end = Sample.now(counters);
        List<String[]> rows = new ArrayList<>();
        JvmCounters c = counters.orElse(null);
        long vmBegin = c == null ? -1 : c.raw("sun.rt.createVmBeginTime");
        long vmEnd = c == null ? -1 : c.raw("sun.rt.createVmEndTime");
        double launcher = launcherStartMillis();
        // everything is placed on the wall clock: nanoTime offsets converted through the moment of this report
        double origin = launcher > 0 ? launcher : vmBegin > 0 ? vmBegin : Double.NaN;
        if (launcher > 0 && vmBegin > 0) rows.add(row("launcher script, then exec java", 0, 0, vmBegin - launcher, null, null));
        if (vmBegin > 0 && vmEnd > 0) rows.add(row("JVM boot (create VM)", 0, vmBegin - origin, vmEnd - vmBegin, null, null));
        if (vmEnd > 0 && !SPANS.isEmpty()) {
            double firstAt = endMillis - (endNanos - SPANS.get(0).startNanos) / 1e6;
            rows.add(row("load the main class, reach main()", 0, vmEnd - origin, firstAt - vmEnd, null, null));
        }
        for (Span s : SPANS) {
            double at = endMillis - (endNanos - s.startNanos) / 1e6 - origin;
            long stop = s.end == null ? endNanos : s.endNanos;
            rows.add(row(s.name + (s.end == null ? " (still running)" : ""), s.depth, at, (stop - s.startNanos) / 1e6, s.start,
                    s.end == null ? end : s.end));
        }
        err.println("certops start-up trace (" + ENV + "=1): ms from " + (launcher > 0 ? "the launcher's start" : "the JVM's start")
                + "; classes = classes loaded in the phase, loading = HotSpot's class-loading time in it (sun.cls.time)");
        err.printf(Locale.ROOT, "  %-44s %9s %9s %8s %10s%n", "phase", "at ms", "took ms", "classes", "loading ms");
        for (String[] r : rows) err.printf(Locale.ROOT, "  %-44s %9s %9s %8s %10s%n", (Object[]) r);
        if (c != null) {
            err.printf(Locale.ROOT, "  total: %d classes loaded (%d from a class-data archive), %.0f ms loading them, %.0f ms in static initializers; %s%n",
                    // both counts read now (the phases' were read a moment earlier: the archive's share stays within 100 %)
                    c.raw("java.cls.loadedClasses") + c.raw("java.cls.sharedLoadedClasses"), c.raw("java.cls.sharedLoadedClasses"), end.loadNanos / 1e6, c.nanos("sun.cls.classInitTime.self") / 1e6,
                    System.getProperty("java.vm.info", ""));
        }
        err.flush();
    }

    private static String[] row(String name, int indent, double at, double took, Sample from, Sample to) {
        boolean counted = from != null && to != null && to.classes >= 0;
        return new String[] {"  ".repeat(indent) + name, Double.isNaN(at) ? "" : String.format(Locale.ROOT, "%.1f", at),
                String.format(Locale.ROOT, "%.1f", took),
                counted ? Long.toString(to.classes - from.classes) : "",
                counted ? String.format(Locale.ROOT, "%.1f", (to.loadNanos - from.loadNanos) / 1e6) : ""};
    }

    private static double launcherStartMillis() {
        String s = System.getProperty(LAUNCHER_START, "");
        try {
            return s.isEmpty() ? -1 : Double.parseDouble(s.replace(',', '.')) * 1000.0;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Class-loading counters at one moment. */
    private record Sample(long classes, long loadNanos) {
        static Sample now(Optional<JvmCounters> counters) {
            return counters.map(c -> new Sample(c.raw("java.cls.loadedClasses") + c.raw("java.cls.sharedLoadedClasses"), c.nanos("sun.cls.time"))).orElse(new Sample(-1, -1));
        }
    }

    private static final class Span {
        final String name;
        final int depth;
        final long startNanos;
        final Sample start;
        long endNanos;
        Sample end;

        Span(String name, int depth, long startNanos, Sample start) {
            this.name = name;
            this.depth = depth;
            this.startNanos = startNanos;
            this.start = start;
        }
    }
}
