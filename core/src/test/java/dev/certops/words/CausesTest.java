package dev.certops.words;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class CausesTest {
    @Test
    void aRefusedConnectionToAClosedLoopbackPortReadsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) { port = s.getLocalPort(); }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        } catch (ConnectException e) {
            assertThat(Causes.of(e)).isEqualTo("connection refused");
            return;
        }
        throw new AssertionError("the closed port accepted a connection");
    }

    @Test
    void eachKnownFailureReadsAsACauseInWords() {
        assertThat(Causes.of(new ConnectException())).isEqualTo("connection refused");
        assertThat(Causes.of(new UnknownHostException("ca.example"))).isEqualTo("unknown host ca.example (no DNS answer)");
        assertThat(Causes.of(new SocketTimeoutException("Read timed out"))).isEqualTo("no answer in time (timed out)");
        assertThat(Causes.of(new SocketTimeoutException("Connect timed out"))).isEqualTo("connection timed out");
        assertThat(Causes.of(new SSLHandshakeException("PKIX path building failed: unable to find valid certification path")))
                .isEqualTo("TLS handshake failed: the server's certificate is not trusted");
        assertThat(Causes.of(new AccessDeniedException("/srv/certs"))).isEqualTo("permission denied: /srv/certs");
        assertThat(Causes.of(new NoSuchFileException("/srv/certs/live"))).isEqualTo("no such file: /srv/certs/live");
    }

    @Test
    void wrappersAreLookedThroughToTheCause() {
        var wrapped = new ExecutionException(new UncheckedIOException(new IOException("cannot fetch the directory", new ConnectException("Connection refused"))));
        assertThat(Causes.of(wrapped)).isEqualTo("connection refused");
        assertThat(Causes.withContext(wrapped)).isEqualTo("cannot fetch the directory: connection refused");
    }

    @Test
    void anUnknownFailureNeverShowsItsClassName() {
        assertThat(Causes.of(new IllegalStateException())).isEqualTo(Causes.UNKNOWN).doesNotContain("IllegalState");
        assertThat(Causes.of(new RuntimeException("java.lang.IllegalStateException: the pool is closed")))
                .isEqualTo("the pool is closed");
        assertThat(Causes.of(new IOException("disk full"))).isEqualTo("disk full");
    }
}
