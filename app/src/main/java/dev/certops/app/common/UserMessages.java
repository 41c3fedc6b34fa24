package dev.certops.app.common;

import dev.certops.words.Causes;
import java.util.concurrent.ExecutionException;

/**
 * Turns a failure into what an operator reads: what went wrong and what to do next. Never a stack
 * trace; the technical detail goes into a collapsible section.
 */
public final class UserMessages {
    private UserMessages() { }

    /** The failure's own message in the console's words (its command-line hints become buttons), else its cause in words. */
    public static String headline(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof ExecutionException || c instanceof RuntimeException && c.getCause() != null && c.getMessage().contains("Exception"))) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null || m.isBlank() ? "Something went wrong (" + Causes.of(c) + "). Nothing was changed." : ConsoleWords.of(m);
    }

    /** The detail for the expandable section: exception types and messages, no code locations. */
    public static String details(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
            if (c.getCause() == c) break;
        }
        return b.toString();
    }
}
