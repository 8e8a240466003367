package dev.dripline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutesAndPricesTest {

    private static final List<String> CONFIGURED = List.of("twilio", "telnyx", "vonage");

    @Test
    void aCountryTakesItsRouteAndOthersTheWildcard() {
        Routes routes = Routes.parse("US=twilio,telnyx; gb=vonage ;*=twilio");
        assertThat(routes.providersFor("US", CONFIGURED)).containsExactly("twilio", "telnyx");
        assertThat(routes.providersFor("GB", CONFIGURED)).containsExactly("vonage");
        assertThat(routes.providersFor("FR", CONFIGURED)).containsExactly("twilio");
        assertThat(routes.providersFor(null, CONFIGURED)).containsExactly("twilio");
        assertThat(routes.providersNamed()).containsExactly("twilio", "telnyx", "vonage");
    }

    @Test
    void withoutAWildcardOrRoutesTheConfiguredOrderApplies() {
        assertThat(Routes.parse("US=telnyx").providersFor("DE", CONFIGURED)).isEqualTo(CONFIGURED);
        assertThat(Routes.parse("").providersFor("US", CONFIGURED)).isEqualTo(CONFIGURED);
        assertThat(Routes.parse(null).providersFor("US", CONFIGURED)).isEqualTo(CONFIGURED);
    }

    @Test
    void malformedRoutesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> Routes.parse("USA=twilio")).hasMessageContaining("USA=twilio");
        assertThatThrownBy(() -> Routes.parse("US=")).hasMessageContaining("US=");
        assertThatThrownBy(() -> Routes.parse("US=twilio;US=telnyx")).hasMessageContaining("two routes");
        assertThatThrownBy(() -> Routes.parse("twilio")).hasMessageContaining("DRIPLINE_ROUTES");
    }

    @Test
    void aPriceIsPerProviderAndCountryWithAWildcard() {
        PriceTable prices = PriceTable.parse("twilio:US=0.0079;twilio:*=0.05;telnyx:us=0.004");
        assertThat(prices.estimate("twilio", "US", 3)).contains(new BigDecimal("0.0237"));
        assertThat(prices.estimate("twilio", "GB", 2)).contains(new BigDecimal("0.10"));
        assertThat(prices.estimate("telnyx", "US", 1)).contains(new BigDecimal("0.004"));
        assertThat(prices.estimate("telnyx", "GB", 1)).isEmpty();
        assertThat(prices.estimate("twilio", "US", null)).isEmpty();
    }

    @Test
    void malformedPricesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> PriceTable.parse("twilio=0.1")).hasMessageContaining("twilio=0.1");
        assertThatThrownBy(() -> PriceTable.parse("twilio:US=abc")).hasMessageContaining("twilio:US=abc");
        assertThatThrownBy(() -> PriceTable.parse("twilio:US=-1")).hasMessageContaining("DRIPLINE_PRICES");
    }
}
