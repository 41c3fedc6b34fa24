package dev.certops.acme.dns;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResolversTest {
    @Test
    void parsesHostPortV6AndBareHost() {
        Resolvers r = Resolvers.of(List.of("127.0.0.1:8053", "[::1]:5353", "127.0.0.2"));

        assertThat(r.configured()).isTrue();
        assertThat(r.servers()).containsExactly(new InetSocketAddress("127.0.0.1", 8053),
                new InetSocketAddress("::1", 5353), new InetSocketAddress("127.0.0.2", 53));
    }

    @Test
    void emptyListMeansTheSystemResolvers() {
        assertThat(Resolvers.of(List.of()).configured()).isFalse();
    }

    @Test
    void badEntrySaysWhatToWrite() {
        assertThatThrownBy(() -> Resolvers.of(List.of("127.0.0.1:dns")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resolvers: '127.0.0.1:dns' is not host:port; write e.g. 127.0.0.1:53 or [::1]:53");
    }
}
