package dev.certops.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.certops.config.Endpoint.StartTls;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTest {
    /** The same components as Endpoint, with the equals and hashCode Java generates for a record. */
    private record Generated(String host, int port, String sni, StartTls starttls) { }

    private static final List<Endpoint> SOME = List.of(
            new Endpoint("www.example.com", 443, "www.example.com"),
            new Endpoint("www.example.com", 8443, "www.example.com"),
            new Endpoint("www.example.com", 443, "api.example.com"),
            new Endpoint("10.0.0.7", 443, "www.example.com"),
            new Endpoint("mail.example.com", 25, "mail.example.com", StartTls.SMTP),
            new Endpoint("mail.example.com", 25, "mail.example.com", StartTls.NONE));

    @Test
    void writtenOutHashCodeIsTheOneJavaWouldGenerateForTheRecord() {
        for (Endpoint e : SOME) {
            assertThat(e.hashCode()).as(e.toString()).isEqualTo(new Generated(e.host(), e.port(), e.sni(), e.starttls()).hashCode());
        }
    }

    @Test
    void equalWhenEveryComponentIsEqualAndOnlyThen() {
        for (Endpoint a : SOME) {
            for (Endpoint b : SOME) {
                Endpoint copy = new Endpoint(b.host(), b.port(), b.sni(), b.starttls());
                assertThat(a.equals(copy)).as(a + " vs " + b).isEqualTo(a == b);
            }
        }
        assertThat(SOME.get(0).equals(null)).isFalse();
        assertThat(SOME.get(0).equals("www.example.com:443")).isFalse();
    }
}
