package dev.certops.app.common;

import dev.certops.words.Words;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Core's sentences as the console shows them: a next step written for the command line ("run `certops
 * deploy shop`") becomes the console's own button, and an ISO instant ("2026-12-06T07:46:05.555547344Z")
 * becomes local time to the second. The one place the console rewrites text meant for a terminal.
 */
public final class ConsoleWords {
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern DEPLOY = Pattern.compile("(?:run )?`certops deploy( [^`]*)?`");
    private static final Pattern RENEW = Pattern.compile("(?:run )?`certops (?:renew[^`]*|issue[^`]*)`");
    private static final Pattern OTHER = Pattern.compile("(?:run )?`certops ([a-z]+)[^`]*`");

    private ConsoleWords() { }

    public static String of(String text) {
        if (text == null || text.isEmpty()) return text;
        Matcher m = ISO.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String local;
            try {
                local = Words.instant(Instant.parse(m.group()));
            } catch (DateTimeParseException e) {
                local = m.group();
            }
            m.appendReplacement(b, Matcher.quoteReplacement(local));
        }
        m.appendTail(b);
        String s = DEPLOY.matcher(b.toString()).replaceAll("press Deploy… on the Estate");
        s = RENEW.matcher(s).replaceAll("press Renew now on the Estate");
        return OTHER.matcher(s).replaceAll("use the console's $1 action");
    }
}
