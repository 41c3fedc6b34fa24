package dev.certops.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * certops' logging: commands print their own output to stdout; library logging goes to stderr and is quiet
 * (WARN; acme4j ERROR) unless {@code CERTOPS_LOG_LEVEL} says otherwise (debug, info, warn, error). Secrets are
 * never logged. Applied by {@link LogProvider} (the entry points select it, so nothing is searched for) and,
 * where SLF4J finds logback by itself (tests, other mains), as logback's {@link Configurator} service.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The environment variable that sets the level. */
    public static final String LEVEL_ENV = "CERTOPS_LOG_LEVEL";
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        apply(context, System.getenv(LEVEL_ENV));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Configures {@code context}: one stderr appender, the root at {@code level} (WARN when absent or unknown). */
    static void apply(LoggerContext context, String level) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(rootLevel(level));
        root.addAppender(stderr);
        context.getLogger("org.shredzone.acme4j").setLevel(acme4jLevel(level));
    }

    /** The root's level for {@code CERTOPS_LOG_LEVEL} (null or unknown: WARN). */
    static Level rootLevel(String level) { return Level.toLevel(level, Level.WARN); }

    /** acme4j's level (it logs its protocol at INFO and its retries at WARN): ERROR unless {@code CERTOPS_LOG_LEVEL} is set. */
    static Level acme4jLevel(String level) { return Level.toLevel(level, Level.ERROR); }
}
