package dev.certops.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.certops.config.CaConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Metadata;
import org.shredzone.acme4j.toolbox.JSON;

/** What an order asks for, fitted to the directory metadata a CA publishes (profiles, renewalInfo). */
class OrderOptionsTest {
    private static final CaEndpoint CA = new CaEndpoint(new CaConfig("le", URI.create("https://ca.example/dir"), Optional.empty(), Optional.empty(),
            Optional.empty(), true, Optional.empty(), "none", Map.of(), Optional.empty()), false);
    private static final Metadata WITH_PROFILES = new Metadata(JSON.parse("{\"profiles\":{\"classic\":\"90 days\",\"shortlived\":\"6 days\"}}"));
    private static final Metadata PLAIN = new Metadata(JSON.parse("{}"));

    @Test
    void aProfileTheCaOffersIsSent() throws Exception {
        OrderOptions o = OrderOptions.fit(CA, WITH_PROFILES, false, Optional.of("shortlived"), Optional.empty());
        assertThat(o.profile()).contains("shortlived");
        assertThat(o.notes()).isEmpty();
    }

    @Test
    void aProfileTheCaDoesNotOfferIsRefusedNamingTheOnesItOffers() {
        assertThatThrownBy(() -> OrderOptions.fit(CA, WITH_PROFILES, false, Optional.of("tlsserver"), Optional.empty()))
                .hasMessageContaining("does not offer profile 'tlsserver'").hasMessageContaining("classic, shortlived");
    }

    @Test
    void aCaWithoutProfilesGetsNoneAndTheOperatorIsTold() throws Exception {
        OrderOptions o = OrderOptions.fit(CA, PLAIN, false, Optional.of("shortlived"), Optional.empty());
        assertThat(o.profile()).isEmpty();
        assertThat(o.notes()).singleElement().asString().contains("offers no profiles");
    }

    @Test
    void replacesIsSentOnlyWhenTheCaOffersRenewalInformation() throws Exception {
        assertThat(OrderOptions.fit(CA, PLAIN, true, Optional.empty(), Optional.of("a.b")).replaces()).contains("a.b");
        OrderOptions without = OrderOptions.fit(CA, PLAIN, false, Optional.empty(), Optional.of("a.b"));
        assertThat(without.replaces()).isEmpty();
        assertThat(without.notes()).singleElement().asString().contains("no renewal information");
    }
}
