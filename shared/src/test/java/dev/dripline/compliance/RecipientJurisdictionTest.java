package dev.dripline.compliance;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientJurisdictionTest {

    @Test
    void theAreaCodePlacesAUsNumberInItsState() {
        assertThat(RecipientJurisdiction.candidates("US", "+12145550100", null)).containsExactly("US-TX");
        assertThat(RecipientJurisdiction.candidates("US", "+13055550100", null)).containsExactly("US-FL");
        assertThat(RecipientJurisdiction.candidates("US", "+12065550100", null)).containsExactly("US-WA");
        // The geocoder names a city for some prefixes: "San Francisco, CA".
        assertThat(RecipientJurisdiction.candidates("US", "+14155550100", null)).containsExactly("US-CA");
        assertThat(RecipientJurisdiction.candidates(null, "+14165550100", null)).containsExactly("CA-ON");
    }

    @Test
    void aStateOrZipAttributeWinsOverTheAreaCode() {
        // A Dallas number whose owner lives in Florida.
        assertThat(RecipientJurisdiction.candidates("US", "+12145550100", Map.of("state", "fl"))).containsExactly("US-FL");
        assertThat(RecipientJurisdiction.candidates("US", "+12145550100", Map.of("zip", "33101"))).containsExactly("US-FL");
        assertThat(RecipientJurisdiction.candidates("US", "+12145550100", Map.of("zip", "06103-1234"))).containsExactly("US-CT");
    }

    @Test
    void aStateAndAZipThatDisagreeAreBothKeptSoTheStrictestApplies() {
        assertThat(RecipientJurisdiction.candidates("US", "+12125550100", Map.of("state", "NY", "zip", "75201")))
                .containsExactly("US-NY", "US-TX");
    }

    @Test
    void otherCountriesComeFromTheNumber() {
        assertThat(RecipientJurisdiction.candidates(null, "+33612345678", null)).containsExactly("FR");
        assertThat(RecipientJurisdiction.candidates(null, "+8613812345678", null)).containsExactly("CN");
        assertThat(RecipientJurisdiction.candidates(null, "not a number", null)).containsExactly("default");
    }

    @Test
    void zipPrefixesMapToStatesAndBadZipsToNothing() {
        assertThat(RecipientJurisdiction.stateOfZip("73301")).contains("TX");
        assertThat(RecipientJurisdiction.stateOfZip("73101")).contains("OK");
        assertThat(RecipientJurisdiction.stateOfZip("02903")).contains("RI");
        assertThat(RecipientJurisdiction.stateOfZip("99501")).contains("AK");
        assertThat(RecipientJurisdiction.stateOfZip("abcde")).isEmpty();
        assertThat(RecipientJurisdiction.stateOfZip("123")).isEmpty();
    }
}
