package dev.dripline.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.errors.InvalidInput;
import org.junit.jupiter.api.Test;

class PhoneNumberTest {

    @Test
    void internationalInputIsNormalisedToE164() {
        PhoneNumber n = PhoneNumber.parse("+1 (415) 555-0123", null, "phone");
        assertThat(n.e164()).isEqualTo("+14155550123");
        assertThat(n.country()).isEqualTo("US");
        assertThat(n.timeZones()).containsExactly("America/Los_Angeles");
    }

    @Test
    void nationalInputNeedsTheCountry() {
        assertThat(PhoneNumber.parse("07400 123456", "gb", "phone").e164()).isEqualTo("+447400123456");
        assertThatThrownBy(() -> PhoneNumber.parse("07400 123456", null, "phone"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("phone: is not in international format");
    }

    @Test
    void aFixedLineIsRefusedBecauseItCannotReceiveSms() {
        // A London landline (020).
        assertThatThrownBy(() -> PhoneNumber.parse("+442079460000", null, "to"))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("to: is a fixed line");
    }

    @Test
    void invalidNumbersNameTheFieldAndTheReason() {
        assertThatThrownBy(() -> PhoneNumber.parse("+1 415 555", null, "phone")).hasMessageContaining("phone:");
        assertThatThrownBy(() -> PhoneNumber.parse("hello", "US", "phone")).hasMessageContaining("phone: is not a phone number");
        assertThatThrownBy(() -> PhoneNumber.parse("+14155550123", "XX", "phone")).hasMessageContaining("country:");
        assertThatThrownBy(() -> PhoneNumber.parse(" ", null, "phone")).hasMessageContaining("phone: is required");
    }

    @Test
    void aNumberInSeveralZonesKeepsThemAll() {
        // Idaho's +1 208 is in Mountain and Pacific time; an Australian mobile could be anywhere in Australia.
        assertThat(PhoneNumber.parse("+12085550123", null, "phone").timeZones())
                .containsExactlyInAnyOrder("America/Boise", "America/Los_Angeles");
        assertThat(PhoneNumber.parse("+61412345678", null, "phone").timeZones()).contains("Australia/Perth", "Australia/Sydney");
    }
}
