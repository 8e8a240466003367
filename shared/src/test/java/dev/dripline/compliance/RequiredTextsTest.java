package dev.dripline.compliance;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredTextsTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 3);

    @Test
    void chineseMarketingCarriesTheSignatureAndTheOptOutLine() {
        RequiredTexts.Applied a = RequiredTexts.apply("双十二全场八折", "花店", "marketing", List.of("CN"), DAY, RulesTable.bundled());
        assertThat(a.body()).isEqualTo("【花店】双十二全场八折 退订回T");
        assertThat(a.rules()).extracting(Rule::id).containsExactly("cn-signature", "cn-optout-line");
    }

    @Test
    void chineseTransactionalCarriesTheSignatureOnly() {
        assertThat(RequiredTexts.apply("您的验证码是 123456", "花店", "transactional", List.of("CN"), DAY, RulesTable.bundled()).body())
                .isEqualTo("【花店】您的验证码是 123456");
    }

    @Test
    void textAlreadyThereIsNotAddedTwiceAndOtherCountriesAreUntouched() {
        assertThat(RequiredTexts.apply("【花店】八折 退订回T", "花店", "marketing", List.of("CN"), DAY, RulesTable.bundled()).body())
                .isEqualTo("【花店】八折 退订回T");
        assertThat(RequiredTexts.apply("Hi", "Shop", "marketing", List.of("US-TX"), DAY, RulesTable.bundled()).body()).isEqualTo("Hi");
    }

    @Test
    void beforeTheRulesTookEffectNothingIsAdded() {
        assertThat(RequiredTexts.apply("八折", "花店", "marketing", List.of("CN"), LocalDate.of(2015, 6, 29), RulesTable.bundled()).body())
                .isEqualTo("八折");
    }
}
