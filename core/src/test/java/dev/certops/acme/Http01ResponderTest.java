package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The in-process HTTP-01 responder, asked over real HTTP. */
class Http01ResponderTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(Http01Responder r, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + r.address().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onceListeningItAsksItselfForATokenNobodyPublishedAndGetsNotFound() throws Exception {
        try (Http01Responder r = Http01Responder.start(new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(r.warmedUp().get(10, TimeUnit.SECONDS)).isEqualTo(404);
            assertThat(r.served()).as("the warm-up publishes nothing").isZero();
        }
    }

    @Test
    void listeningOnEveryAddressItAsksItselfOverLoopback() throws Exception {
        try (Http01Responder r = Http01Responder.start(new InetSocketAddress("0.0.0.0", 0))) {
            assertThat(r.warmedUp().get(10, TimeUnit.SECONDS)).isEqualTo(404);
        }
    }

    @Test
    void servesAPublishedTokenUntilItIsRemovedAndNothingElse() throws Exception {
        try (Http01Responder r = Http01Responder.start(new InetSocketAddress("127.0.0.1", 0))) {
            r.warmedUp().get(10, TimeUnit.SECONDS);
            r.put("tok-EN_1", "tok-EN_1.thumbprint");
            HttpResponse<String> served = get(r, Http01Responder.PREFIX + "tok-EN_1");
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("tok-EN_1.thumbprint");
            assertThat(get(r, Http01Responder.PREFIX + "other").statusCode()).isEqualTo(404);
            assertThat(get(r, "/index.html").statusCode()).isEqualTo(404);
            r.remove("tok-EN_1");
            assertThat(get(r, Http01Responder.PREFIX + "tok-EN_1").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void saysWhereItListensAndWhyItCannotAsAPersonWritesTheAddress() throws Exception {
        try (Http01Responder r = Http01Responder.start(new InetSocketAddress("127.0.0.1", 0))) {
            assertThat(r.where()).isEqualTo("127.0.0.1:" + r.address().getPort());
            assertThatThrownBy(() -> Http01Responder.start(new InetSocketAddress("127.0.0.1", r.address().getPort())))
                    .hasMessageStartingWith("HTTP-01 responder cannot listen on 127.0.0.1:" + r.address().getPort() + ": ")
                    .hasMessageContaining("use http-01 through that server's webroot instead");
        }
    }

    @Test
    void refusesATokenThatIsNotBase64url() throws Exception {
        try (Http01Responder r = Http01Responder.start(new InetSocketAddress("127.0.0.1", 0))) {
            assertThatThrownBy(() -> r.put("../../etc/passwd", "x")).hasMessageContaining("not base64url");
        }
    }
}
