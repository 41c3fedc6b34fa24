package dev.certops.app.common;

import dev.certops.words.Words;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Core's sentences as the console shows them: a next step written for the command line ("run `certops
 * deploy shop`") becomes the console's own button, and an ISO instant ("2026-12-06T07:46:05.555547344Z")
 * becomes local time to the second. The one place the console rewrites text meant for a terminal: backticked
 * commands, bare {@code ./certops …} command lines, {@code hosts trust} (a button in Settings) and a gate's
 * {@code --force --reason} override (a command-line decision the console does not offer).
 */
public final class ConsoleWords {
    private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern DEPLOY = Pattern.compile("(?:run )?`certops deploy( [^`]*)?`");
    private static final Pattern RENEW = Pattern.compile("(?:run )?`certops (?:renew[^`]*|issue[^`]*)`");
    private static final Pattern OTHER = Pattern.compile("(?:run )?`certops ([a-z]+)[^`]*`");
    /** Secrets are stored from a terminal (the console takes none): the command stays, unquoted, said to be one. */
    private static final Pattern SECRET = Pattern.compile("`certops secret set ([\\w.-]+)`");
    private static final Pattern TRUST = Pattern.compile("(run )?`?(?:\\./)?certops hosts trust ([\\w.-]+)`?");
    /** The arguments of an unquoted command line: flags (a quoted value allowed), one id (a sentence's full stop excluded), flags with values. */
    private static final String FLAGS = "(?: --[a-z-]+(?: \"[^\"]*\")?)*";
    private static final String ARGS = FLAGS + "(?: [a-z0-9](?:[\\w@-]|\\.(?=\\w))*)?(?: --[a-z-]+(?: \"[^\"]*\"| [\\w@-]+)?)*";
    private static final Pattern PLAIN_DEPLOY = Pattern.compile("(?:run )?\\./certops deploy" + ARGS);
    private static final Pattern PLAIN_RENEW = Pattern.compile("(?:run )?\\./certops (?:renew|issue)" + ARGS);
    private static final Pattern PLAIN_OTHER = Pattern.compile("(?:run )?\\./certops ([a-z]+)(?: [a-z]+(?=[\\s,;.)]|$))?" + ARGS);
    /** Core's override of a deploy gate is a command-line decision with a recorded reason; the console has no such button. */
    private static final Pattern FORCE = Pattern.compile(" ?(?:— )?\\(?(?:or )?(?:deploy it|roll back) anyway with --force --reason \"[^\"]*\"(?:,? ?(?:which is )?\\(?recorded\\)?)?\\)?");

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
        String s = FORCE.matcher(b.toString()).replaceAll(" (the console does not override this check)");
        s = TRUST.matcher(s).replaceAll(t -> Matcher.quoteReplacement((t.group(1) == null ? "" : "press ")
                + "Check and trust the SSH host key… for " + t.group(2) + " (Settings → Hosts)"));
        s = SECRET.matcher(s).replaceAll("certops secret set $1 in a terminal (the console takes no secrets)");
        s = DEPLOY.matcher(s).replaceAll("press Deploy… on the Estate");
        s = RENEW.matcher(s).replaceAll("press Renew now on the Estate");
        s = OTHER.matcher(s).replaceAll("use the console's $1 action");
        s = PLAIN_DEPLOY.matcher(s).replaceAll("press Deploy… on the Estate");
        s = PLAIN_RENEW.matcher(s).replaceAll("press Renew now on the Estate");
        return PLAIN_OTHER.matcher(s).replaceAll("use the console's $1 action");
    }
}
