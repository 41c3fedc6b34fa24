package dev.certops.logging;

import static ch.qos.logback.classic.Level.DEBUG_INT;
import static ch.qos.logback.classic.Level.ERROR_INT;
import static ch.qos.logback.classic.Level.INFO_INT;
import static ch.qos.logback.classic.Level.TRACE_INT;
import static ch.qos.logback.classic.Level.WARN_INT;

import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.spi.LocationAwareLogger;

/**
 * The loggers {@link LogProvider} hands out: each answers "is this level on?" from {@link LogSetup}'s levels
 * alone, and sets logback up (its context, the stderr appender: ~200 classes) only when something is logged at a
 * level that is on. A command whose libraries ask for loggers but log nothing (SQLite's driver asks for one on its
 * first connection) never sets it up. What is logged goes to logback's logger of the same name, as before.
 */
final class LazyLoggers implements ILoggerFactory {
    private static final String ACME4J = "org.shredzone.acme4j";

    private final Supplier<LoggerContext> context;
    private final int rootLevel;
    private final int acme4jLevel;
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    /** @param level {@code CERTOPS_LOG_LEVEL} (null: unset); @param context sets logback up, called once, at the first line logged */
    LazyLoggers(String level, Supplier<LoggerContext> context) {
        this.context = context;
        this.rootLevel = LogSetup.rootLevel(level).toInt();
        this.acme4jLevel = LogSetup.acme4jLevel(level).toInt();
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new Lazy(n, threshold(n)));
    }

    /** The level a logger of this name logs from: logback's hierarchy splits names at '.' and '$'. */
    private int threshold(String name) {
        boolean acme4j = name.equals(ACME4J) || name.startsWith(ACME4J + ".") || name.startsWith(ACME4J + "$");
        return acme4j ? acme4jLevel : rootLevel;
    }

    /** One named logger: levels answered here; lines passed to logback's logger of that name. */
    private final class Lazy extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        private final int threshold;
        private volatile LocationAwareLogger target;

        Lazy(String name, int threshold) {
            this.name = name;
            this.threshold = threshold;
        }

        @Override public boolean isTraceEnabled() { return TRACE_INT >= threshold; }
        @Override public boolean isDebugEnabled() { return DEBUG_INT >= threshold; }
        @Override public boolean isInfoEnabled() { return INFO_INT >= threshold; }
        @Override public boolean isWarnEnabled() { return WARN_INT >= threshold; }
        @Override public boolean isErrorEnabled() { return ERROR_INT >= threshold; }

        @Override
        protected String getFullyQualifiedCallerName() { return null; }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments, Throwable throwable) {
            LocationAwareLogger t = target;
            if (t == null) {
                t = context.get().getLogger(name);
                target = t;
            }
            t.log(marker, Lazy.class.getName(), level.toInt(), message, arguments, throwable);
        }
    }
}
