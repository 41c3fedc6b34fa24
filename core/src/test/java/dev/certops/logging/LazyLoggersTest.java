package dev.certops.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Loggers that set logback up only for a line that is really logged, and then log it as logback always did. */
class LazyLoggersTest {
    private final AtomicInteger setUps = new AtomicInteger();

    private LazyLoggers loggers(String level) {
        return new LazyLoggers(level, new Supplier<>() {
            private LoggerContext context;

            @Override
            public synchronized LoggerContext get() {
                if (context == null) {
                    setUps.incrementAndGet();
                    context = new LoggerContext();
                    context.setMDCAdapter(new LogbackMDCAdapter());
                    LogSetup.apply(context, level);
                    context.start();
                }
                return context;
            }
        });
    }

    /** What {@code work} logs on stderr. */
    private static String stderrOf(Runnable work) {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCommandWhoseLibrariesAskForLoggersButLogNothingNeverSetsLogbackUp() {
        LazyLoggers loggers = loggers(null);
        String err = stderrOf(() -> {
            Logger sqlite = loggers.getLogger("org.sqlite.SQLiteJDBCLoader");
            sqlite.debug("loading {}", "libsqlitejdbc.so");
            sqlite.info("loaded");
            loggers.getLogger("org.shredzone.acme4j.connector.DefaultConnection").warn("retrying");
        });
        assertThat(err).isEmpty();
        assertThat(setUps).hasValue(0);
        assertThat(loggers.getLogger("x").isWarnEnabled()).isTrue();
        assertThat(loggers.getLogger("x").isInfoEnabled()).isFalse();
        assertThat(loggers.getLogger("org.shredzone.acme4j.Session").isWarnEnabled()).isFalse();
        assertThat(loggers.getLogger("org.shredzone.acme4j.Session").isErrorEnabled()).isTrue();
    }

    @Test
    void aWarningIsLoggedToStderrWithItsLevelLoggerMessageAndCause() {
        LazyLoggers loggers = loggers(null);
        String err = stderrOf(() -> loggers.getLogger("dev.certops.estate.EstateScanner")
                .warn("reading the live copy on {} failed", "web1", new IllegalStateException("disk gone")));
        assertThat(err).contains("WARN").contains("d.c.estate.EstateScanner").contains("reading the live copy on web1 failed")
                .contains("IllegalStateException: disk gone");
        assertThat(setUps).hasValue(1);
        stderrOf(() -> loggers.getLogger("another").error("again"));
        assertThat(setUps).hasValue(1);
    }

    @Test
    void certopsLogLevelTurnsDebugOnForEveryLoggerAcme4jIncluded() {
        LazyLoggers loggers = loggers("debug");
        String err = stderrOf(() -> {
            loggers.getLogger("org.shredzone.acme4j.Session").debug("directory {}", "https://ca.test/dir");
            loggers.getLogger("org.sqlite.core.NativeDB").trace("not shown");
        });
        assertThat(err).contains("DEBUG").contains("directory https://ca.test/dir").doesNotContain("not shown");
    }
}
