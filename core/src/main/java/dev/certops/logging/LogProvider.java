package dev.certops.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import dev.certops.startup.StartupTrace;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's binding to logback, configured by {@link LogSetup} in code. The entry points name it in the
 * {@code slf4j.provider} system property ({@link #select()}), so SLF4J loads it directly instead of reading
 * every jar for providers, and logback reads no configuration file. It is set up the first time a line is
 * logged at a level that is on ({@link LazyLoggers}): a command that logs nothing never sets it up, even when its
 * libraries ask for loggers.
 */
public final class LogProvider implements SLF4JServiceProvider {
    static final String PROPERTY = "slf4j.provider";
    static final String VERBOSITY = "slf4j.internal.verbosity";

    // SLF4J asks for the MDC adapter before initialize()
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private LazyLoggers loggers;
    private LoggerContext context;

    /** Makes SLF4J use this provider, unless one was chosen already; call before the first logger. */
    public static void select() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, LogProvider.class.getName());
        // SLF4J otherwise announces the provider it was told to load on stderr, on every command
        if (System.getProperty(VERBOSITY) == null) System.setProperty(VERBOSITY, "WARN");
    }

    @Override
    public void initialize() {
        String level = System.getenv(LogSetup.LEVEL_ENV);
        loggers = new LazyLoggers(level, () -> context(level));
    }

    /** Logback, set up the first time a line is logged. */
    private synchronized LoggerContext context(String level) {
        if (context == null) {
            try (StartupTrace.Phase p = StartupTrace.phase("logging set up")) {
                LoggerContext c = new LoggerContext();
                c.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
                c.setMDCAdapter(mdc);
                LogSetup.apply(c, level);
                c.start();
                context = c;
            }
        }
        return context;
    }

    @Override
    public ILoggerFactory getLoggerFactory() { return loggers; }

    @Override
    public IMarkerFactory getMarkerFactory() { return markers; }

    @Override
    public MDCAdapter getMDCAdapter() { return mdc; }

    @Override
    public String getRequestedApiVersion() { return "2.0.99"; }
}
