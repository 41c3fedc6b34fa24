package dev.certops.scan;

import dev.certops.config.Endpoint;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Why a probe failed, in the terms an operator acts on: refused, timeout, handshake failure, DNS. */
final class Unreachable {
    private Unreachable() { }

    static ProbeException classify(Endpoint endpoint, IOException e, boolean deadlinePassed, Duration connectTimeout, Duration handshakeTimeout) {
        if (deadlinePassed) {
            return new ProbeException(endpoint, ProbeException.Reason.TIMEOUT, "TLS handshake not finished within "
                    + handshakeTimeout.toMillis() + " ms — the server answers too slowly or does not speak TLS");
        }
        if (e instanceof StartTls.Refused) return new ProbeException(endpoint, ProbeException.Reason.NO_TLS, e.getMessage());
        if (e instanceof ConnectException) {
            return new ProbeException(endpoint, ProbeException.Reason.REFUSED, "connection refused — is the server running and listening on this port?");
        }
        if (e instanceof SocketTimeoutException) {
            boolean connected = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("read");
            return new ProbeException(endpoint, ProbeException.Reason.TIMEOUT, connected
                    ? "no TLS answer within " + handshakeTimeout.toMillis() + " ms — something listens but does not speak TLS"
                    : "no connection within " + connectTimeout.toMillis() + " ms — host down or filtered");
        }
        if (e instanceof UnknownHostException) {
            return new ProbeException(endpoint, ProbeException.Reason.DNS, "the name does not resolve — check DNS for " + endpoint.host());
        }
        if (e instanceof NoRouteToHostException) {
            return new ProbeException(endpoint, ProbeException.Reason.REFUSED, "no route to host — check the address and firewall");
        }
        if (e instanceof InterruptedIOException) {
            return new ProbeException(endpoint, ProbeException.Reason.TIMEOUT, "timed out: " + e.getMessage());
        }
        if (e instanceof SSLException) {
            return new ProbeException(endpoint, ProbeException.Reason.HANDSHAKE, "TLS handshake failed: " + e.getMessage()
                    + " — the port may not serve TLS, or only protocols/ciphers Java 17 refuses");
        }
        return new ProbeException(endpoint, ProbeException.Reason.HANDSHAKE, "connection failed during the handshake: " + e.getMessage());
    }
}
