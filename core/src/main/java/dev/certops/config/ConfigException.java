package dev.certops.config;

import java.nio.file.Path;

/**
 * certops.yaml is not valid. The message names the file, the line, the key, what is wrong and
 * what is allowed, e.g. {@code certops.yaml:14: certificates[0].key: 'ec-p521' is not a key type —
 * allowed: ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096}.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigException(Path file, int line, String key, String problem) {
        super(format(file, line, key, problem));
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, int line, String key, String problem) {
        String where = (file == null ? "certops.yaml" : file.toString()) + (line > 0 ? ":" + line : "");
        return where + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem;
    }

    public Path file() { return file; }
    /** 1-based line, 0 when unknown. */
    public int line() { return line; }
    public String key() { return key; }
    public String problem() { return problem; }
}
