package dev.certops.crypto;

/**
 * Malformed or unusable key material. The message names the source (a file, or a label such as
 * "served chain of api.example.com:443"), the problem and what to do; it never contains key material.
 */
public class CryptoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String source;

    public CryptoException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public CryptoException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    public String source() { return source; }
}
