package dev.certops.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the workspace passphrase comes from, first found wins: {@code $CERTOPS_PASSPHRASE} (a person at a
 * terminal); the file named by {@code $CERTOPS_PASSPHRASE_FILE} (cron; mode 0600 or 0400); the systemd
 * credential {@code certops-passphrase} in {@code $CREDENTIALS_DIRECTORY} (the renew timer's unit, with
 * {@code LoadCredentialEncrypted=} or {@code LoadCredential=}). One line ending at the end of a file is not
 * part of the passphrase.
 */
public final class Passphrases {
    public static final String ENV_FILE = "CERTOPS_PASSPHRASE_FILE";
    public static final String ENV_CREDENTIALS_DIRECTORY = "CREDENTIALS_DIRECTORY";
    /** The credential's name in the unit and in {@code $CREDENTIALS_DIRECTORY}. */
    public static final String CREDENTIAL = "certops-passphrase";
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private Passphrases() { }

    /** The passphrase from the environment, a passphrase file or a systemd credential; empty when none is given. */
    public static Optional<char[]> resolve(Map<String, String> env) {
        String p = env.get(Workspace.ENV_PASSPHRASE);
        if (p != null && !p.isEmpty()) return Optional.of(p.toCharArray());
        String file = env.get(ENV_FILE);
        if (file != null && !file.isEmpty()) return Optional.of(readFile(Path.of(file)));
        String creds = env.get(ENV_CREDENTIALS_DIRECTORY);
        if (creds != null && !creds.isEmpty()) {
            Path credential = Path.of(creds, CREDENTIAL);
            if (Files.exists(credential)) return Optional.of(read(credential, "the systemd credential " + credential));
        }
        return Optional.empty();
    }

    /**
     * Reads a passphrase file as {@code CERTOPS_PASSPHRASE_FILE} would be read: a regular file that neither
     * group nor others may read, not empty.
     */
    public static char[] readFile(Path file) {
        return readFile(file, ENV_FILE + " " + file, "the workspace passphrase", ", or unset " + ENV_FILE);
    }

    /**
     * Reads a passphrase file the same way for another purpose ({@code import pem --key-passphrase-file}): {@code what} names
     * the file in messages, {@code holding} says whose passphrase it holds, {@code orElse} ends the advice when it is missing.
     */
    public static char[] readFile(Path file, String what, String holding, String orElse) {
        if (!Files.isRegularFile(file)) {
            throw new PassphraseException(what + " does not exist or is not a file: create it holding " + holding
                    + " (install -m 600 /dev/null FILE, then write the passphrase into it)" + orElse);
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                throw new PassphraseException(what + " may be read by others (mode " + PosixFilePermissions.toString(perms)
                        + "): make it private with chmod 600 " + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            throw new PassphraseException(what + " cannot be checked for its permissions: " + e.getMessage());
        }
        return read(file, what, holding);
    }

    private static char[] read(Path file, String what) { return read(file, what, "the workspace passphrase"); }

    private static char[] read(Path file, String what, String holding) {
        try {
            return text(Files.readAllBytes(file), what, holding);
        } catch (IOException e) {
            throw new PassphraseException(what + " cannot be read (" + e.getMessage() + "): check its owner and permissions");
        }
    }

    /** A passphrase file's bytes as the passphrase: UTF-8, one trailing line ending dropped, not empty. Clears {@code raw}. */
    public static char[] text(byte[] raw, String what) { return text(raw, what, "the workspace passphrase"); }

    private static char[] text(byte[] raw, String what, String holding) {
        String s = new String(raw, StandardCharsets.UTF_8);
        Arrays.fill(raw, (byte) 0);
        if (s.endsWith("\r\n")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) throw new PassphraseException(what + " is empty: write " + holding + " into it");
        return s.toCharArray();
    }

    /** A passphrase source was given but cannot be used; the message says what to fix. Never carries the passphrase. */
    public static final class PassphraseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PassphraseException(String message) { super(message); }
    }
}
