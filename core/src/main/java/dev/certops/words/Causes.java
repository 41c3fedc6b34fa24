package dev.certops.words;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A failure as its cause in words: a table from exception type to a sentence an operator understands
 * ("connection refused", "no DNS answer for ca.example", "timed out"), never a class name. Wrappers
 * (ExecutionException, CompletionException, UncheckedIOException) are looked through. A type that is not
 * in the table reads as its message, or "an unexpected error (details in certops.log)" when it has none.
 */
public final class Causes {
    /** What an unknown failure without a message reads as. */
    public static final String UNKNOWN = "an unexpected error (details in certops.log)";

    /** Most specific types first: the first assignable entry wins. */
    private static final Map<Class<? extends Throwable>, Function<Throwable, String>> TABLE = new LinkedHashMap<>();
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");

    static {
        TABLE.put(HttpConnectTimeoutException.class, e -> "connection timed out");
        TABLE.put(HttpTimeoutException.class, e -> "no answer in time (timed out)");
        TABLE.put(SocketTimeoutException.class, e -> detail(e).toLowerCase().contains("connect") ? "connection timed out" : "no answer in time (timed out)");
        TABLE.put(TimeoutException.class, e -> "timed out");
        TABLE.put(ConnectException.class, e -> detail(e).toLowerCase().contains("timed out") ? "connection timed out" : "connection refused");
        TABLE.put(NoRouteToHostException.class, e -> "no route to host");
        TABLE.put(PortUnreachableException.class, e -> "port unreachable");
        TABLE.put(BindException.class, e -> "the address is already in use" + suffix(e));
        TABLE.put(UnknownHostException.class, e -> detail(e).isBlank() ? "unknown host (no DNS answer)" : "unknown host " + firstWord(detail(e)) + " (no DNS answer)");
        TABLE.put(SSLPeerUnverifiedException.class, e -> "the server's certificate could not be verified" + suffix(e));
        TABLE.put(SSLHandshakeException.class, Causes::handshake);
        TABLE.put(SSLException.class, e -> "TLS error" + suffix(e));
        TABLE.put(CertificateExpiredException.class, e -> "the certificate has expired");
        TABLE.put(CertificateNotYetValidException.class, e -> "the certificate is not valid yet");
        TABLE.put(CertPathValidatorException.class, e -> "the certificate chain is not trusted" + suffix(e));
        TABLE.put(EOFException.class, e -> "the connection was closed by the other side");
        TABLE.put(ClosedChannelException.class, e -> "the connection was closed");
        TABLE.put(AccessDeniedException.class, e -> "permission denied: " + ((AccessDeniedException) e).getFile());
        TABLE.put(NoSuchFileException.class, e -> "no such file: " + ((NoSuchFileException) e).getFile());
        TABLE.put(FileAlreadyExistsException.class, e -> "already exists: " + ((FileAlreadyExistsException) e).getFile());
        TABLE.put(FileNotFoundException.class, e -> "file not found" + suffix(e));
        TABLE.put(SocketException.class, e -> {
            String m = detail(e).toLowerCase();
            if (m.contains("reset")) return "the connection was reset by the other side";
            if (m.contains("closed")) return "the connection was closed";
            if (m.contains("broken pipe")) return "the connection broke (broken pipe)";
            return "network error" + suffix(e);
        });
        TABLE.put(InterruptedIOException.class, e -> "interrupted");
        TABLE.put(InterruptedException.class, e -> "interrupted");
        TABLE.put(CancellationException.class, e -> "cancelled");
        TABLE.put(OutOfMemoryError.class, e -> "out of memory");
    }

    private Causes() { }

    /** The cause in words: "connection refused", "unknown host ca.example (no DNS answer)", "timed out". */
    public static String of(Throwable t) {
        if (t == null) return UNKNOWN;
        Throwable e = unwrap(t);
        // the deepest known cause says most: "connection refused" under an IOException "cannot fetch …"
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            for (var row : TABLE.entrySet()) {
                if (row.getKey().isInstance(c)) return row.getValue().apply(c);
            }
        }
        String m = clean(e.getMessage());
        return m.isBlank() ? UNKNOWN : m;
    }

    /** The known causes along the chain, outermost message first, without repeats ("cannot fetch … : connection refused"). */
    public static String withContext(Throwable t) {
        if (t == null) return UNKNOWN;
        Throwable e = unwrap(t);
        String cause = of(e);
        String m = clean(e.getMessage());
        if (m.isBlank() || m.contains(cause) || known(e)) return cause;
        return m + ": " + cause;
    }

    /** True when the type is in the table (its words come from the table, not its message). */
    public static boolean known(Throwable t) {
        return TABLE.keySet().stream().anyMatch(k -> k.isInstance(t));
    }

    /** A message with fully qualified class names ("java.net.ConnectException: …") taken out. */
    public static String clean(String message) {
        if (message == null) return "";
        String m = CLASS_NAME.matcher(message).replaceAll("").replaceAll("^[:\\s]+", "").replaceAll("\\(\\s*\\)", "").trim();
        return m;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        List<Throwable> seen = new ArrayList<>();
        while ((e instanceof ExecutionException || e instanceof CompletionException || e instanceof UncheckedIOException
                || e instanceof InvocationTargetException) && e.getCause() != null && !seen.contains(e)) {
            seen.add(e);
            e = e.getCause();
        }
        return e;
    }

    private static String handshake(Throwable e) {
        String m = detail(e).toLowerCase();
        if (m.contains("pkix") || m.contains("certification path") || m.contains("unable to find valid")) {
            return "TLS handshake failed: the server's certificate is not trusted";
        }
        if (m.contains("no subject alternative") || m.contains("no name matching")) {
            return "TLS handshake failed: the server's certificate does not name this host";
        }
        if (m.contains("protocol") || m.contains("no appropriate")) return "TLS handshake failed: no TLS version or cipher in common";
        if (m.contains("remote host terminated") || m.contains("closed")) return "TLS handshake failed: the server closed the connection";
        return "TLS handshake failed" + suffix(e);
    }

    private static String detail(Throwable e) { return clean(e.getMessage()); }

    private static String suffix(Throwable e) {
        String d = detail(e);
        return d.isBlank() ? "" : " (" + d + ")";
    }

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        String w = sp < 0 ? s : s.substring(0, sp);
        return w.endsWith(":") ? w.substring(0, w.length() - 1) : w;
    }
}
