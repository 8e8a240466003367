package dev.dripline.signup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.Dripline;
import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.conversations.InboundSms;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.RateLimited;
import dev.dripline.json.Json;
import dev.dripline.messaging.Direction;
import dev.dripline.messaging.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-up forms: their definitions, what a submission does, its limits, and the proof a Y leaves in the ledger. */
@ExtendWith(EnginesExtension.class)
class SignupFormsTest {

    private static final String CONSENT = "I agree to receive recurring marketing texts from Acme at this number. Msg&data rates may apply.";
    private static final String OURS = "+18335550100";

    private static Map<String, Object> newsletter() {
        return Map.of("name", "Newsletter", "consentText", CONSENT,
                "fields", List.of(Map.of("name", "firstName", "required", true), "lastName", Map.of("name", "email", "required", true), "zip"),
                "keyword", "join");
    }

    private static Map<String, String> valid(String phone) {
        return new HashMap<>(Map.of("phone", phone, "firstName", "Ada", "lastName", "Lovelace", "email", "ada@example.com", "zip", "94107",
                "consent", "yes", "version", "1"));
    }

    @Test
    void aFormDefinitionNamesEveryWrongFieldAtOnce() {
        SignupForms forms = new SignupForms(null, "unused", new SignupSettings(List.of("US"), 3, 10, 100), null, null, "Acme", Clock.systemUTC());
        assertThatThrownBy(() -> forms.read(Map.of("nmae", "x", "consentText", " ", "keyword", "STOP",
                "fields", List.of("firstName", "phone", Map.of("name", "zip", "required", "yes", "colour", "red"), "firstName", "2bad"))))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                        "nmae", "name", "consentText", "keyword", "fields[1]", "fields[2].colour", "fields[2].required", "fields[3]", "fields[4]"));
        SignupForm ok = forms.read(newsletter());
        assertThat(ok.fields()).containsExactly(new SignupForm.Field("firstName", "First name", true),
                new SignupForm.Field("lastName", "Last name", false), new SignupForm.Field("email", "Email", true),
                new SignupForm.Field("zip", "ZIP code", false));
        assertThat(ok.keyword()).isEqualTo("JOIN");
    }

    @Test
    void aReplacementIsANewVersion(Engines engines) {
        SignupForms forms = new TestCore(engines, Clock.systemUTC()).dripline.signupForms();
        SignupForm f = forms.create(newsletter());
        assertThat(f.version()).isEqualTo(1);
        Map<String, Object> changed = new HashMap<>(newsletter());
        changed.put("consentText", CONSENT + " Up to 4 msgs/month.");
        SignupForm v2 = forms.replace(f.id(), changed);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(forms.get(f.id()).consentText()).endsWith("Up to 4 msgs/month.");
        assertThat(forms.list(10, null).items()).extracting(SignupForm::id).containsExactly(f.id());
        forms.delete(f.id());
        assertThat(forms.find(f.id())).isEmpty();
    }

    @Test
    void anInvalidSubmissionNamesEveryFieldAndStoresNothing(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        SignupForm f = core.signupForms().create(newsletter());
        Map<String, String> bad = Map.of("phone", "+1 415 555", "email", "not-an-email", "version", "1");
        assertThatThrownBy(() -> core.signupForms().submit(f.id(), new SignupForms.Submission(bad, "198.51.100.7", "test")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("phone", "firstName", "email", "consent"));
        assertThatThrownBy(() -> core.signupForms().submit(f.id(), new SignupForms.Submission(valid("+442079460000"), "198.51.100.7", "t")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> assertThat(err.field()).isEqualTo("phone")));
        Map<String, String> stale = valid("+14155550150");
        stale.put("version", "0");
        assertThatThrownBy(() -> core.signupForms().submit(f.id(), new SignupForms.Submission(stale, "198.51.100.7", "t")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(err -> assertThat(err.message()).contains("terms changed")));
        assertThat(core.contacts().byPhone("+14155550150")).isEmpty();
    }

    @Test
    void aSubmissionThenYLeavesTheFormsProofInTheLedger(Engines engines) throws Exception {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        SignupForm f = core.signupForms().create(newsletter());
        String phone = "+14155550151";
        assertThat(core.signupForms().submit(f.id(), new SignupForms.Submission(valid(phone), "198.51.100.7", "Mozilla/5.0 test")))
                .isEqualTo(SignupForms.Outcome.ASKED);
        Contact pending = core.contacts().byPhone(phone).orElseThrow();
        assertThat(pending.consent()).isEqualTo(ConsentStatus.PENDING);
        assertThat(pending.firstName()).isEqualTo("Ada");
        List<Message> out = core.messageStore().allOf(pending.id()).stream().filter(m -> m.direction() == Direction.OUTBOUND).toList();
        assertThat(out).singleElement().satisfies(m -> assertThat(m.body()).contains("Reply Y to confirm").contains("Newsletter"));

        core.conversations().receive(new InboundSms("simulator", "y-1", phone, OURS, "Y", Instant.now()));

        assertThat(core.contacts().get(pending.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_IN);
        ConsentEntry optedIn = core.consentLedger().entries(pending.id()).stream()
                .filter(e -> e.status() == ConsentStatus.OPTED_IN).findFirst().orElseThrow();
        assertThat(optedIn.source()).isEqualTo("web_form");
        assertThat(optedIn.ip()).isEqualTo("198.51.100.7");
        assertThat(optedIn.userAgent()).isEqualTo("Mozilla/5.0 test");
        JsonNode proof = Json.mapper().readTree(optedIn.proof());
        assertThat(proof.path("signupForm").asText()).isEqualTo(f.id());
        assertThat(proof.path("formVersion").asInt()).isEqualTo(1);
        assertThat(proof.path("consentText").asText()).isEqualTo(CONSENT);
        assertThat(proof.path("confirmation").asText()).isEqualTo("Y");
        assertThat(Instant.parse(proof.path("submittedAt").asText())).isBeforeOrEqualTo(Instant.parse(proof.path("confirmedAt").asText()));
        assertThat(core.contacts().get(pending.id()).orElseThrow().attributes()).containsEntry("zip", "94107");
    }

    @Test
    void aSubmissionNeverLiftsAnOptOutNorDemotesAnOptIn(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC()).dripline;
        SignupForm f = core.signupForms().create(newsletter());
        String out = "+14155550152";
        core.contacts().upsert(new ContactInput(out, null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_out", "api", null, "STOP", null, null)), "test");
        String in = "+14155550153";
        core.contacts().upsert(new ContactInput(in, null, null, null, null, null, null, null,
                new ContactInput.ConsentInput("opted_in", "api", null, "paper form", null, null)), "test");

        assertThat(core.signupForms().submit(f.id(), new SignupForms.Submission(valid(out), "198.51.100.8", "t")))
                .isEqualTo(SignupForms.Outcome.OPTED_OUT);
        assertThat(core.signupForms().submit(f.id(), new SignupForms.Submission(valid(in), "198.51.100.8", "t")))
                .isEqualTo(SignupForms.Outcome.ALREADY_OPTED_IN);

        Contact stillOut = core.contacts().byPhone(out).orElseThrow();
        assertThat(stillOut.consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.messageStore().allOf(stillOut.id())).as("nothing texted to an opted-out number").isEmpty();
        assertThat(core.contacts().byPhone(in).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_IN);
    }

    @Test
    void submissionsOverTheLimitsAreRefusedPerNumberAndPerIp(Engines engines) {
        Dripline core = new TestCore(engines, Clock.systemUTC(), Map.of("DRIPLINE_SIGNUP_PER_PHONE", "2", "DRIPLINE_SIGNUP_PER_IP", "3")).dripline;
        SignupForm f = core.signupForms().create(newsletter());
        SignupForms forms = core.signupForms();
        forms.submit(f.id(), new SignupForms.Submission(valid("+14155550160"), "203.0.113.1", "t"));
        forms.submit(f.id(), new SignupForms.Submission(valid("+14155550160"), "203.0.113.2", "t"));
        assertThatThrownBy(() -> forms.submit(f.id(), new SignupForms.Submission(valid("+14155550160"), "203.0.113.3", "t")))
                .isInstanceOfSatisfying(RateLimited.class, e -> {
                    assertThat(e.getMessage()).contains("phone number");
                    assertThat(e.retryAfterSeconds()).isBetween(1L, 3600L);
                });
        forms.submit(f.id(), new SignupForms.Submission(valid("+14155550161"), "203.0.113.9", "t"));
        forms.submit(f.id(), new SignupForms.Submission(valid("+14155550162"), "203.0.113.9", "t"));
        forms.submit(f.id(), new SignupForms.Submission(valid("+14155550163"), "203.0.113.9", "t"));
        assertThatThrownBy(() -> forms.submit(f.id(), new SignupForms.Submission(valid("+14155550164"), "203.0.113.9", "t")))
                .isInstanceOfSatisfying(RateLimited.class, e -> assertThat(e.getMessage()).contains("network"));
        assertThat(core.contacts().byPhone("+14155550164")).as("a refused submission stores nothing").isEmpty();
    }

    @Test
    void theDefaultCountriesAreTheSendersAndCanBeConfigured() {
        assertThat(SignupSettings.from(dev.dripline.config.Env.of(Map.of())).countries()).containsExactly("US", "CA");
        assertThat(SignupSettings.from(dev.dripline.config.Env.of(Map.of("DRIPLINE_SENDERS", "vonage:+447700900123=long_code",
                "DRIPLINE_PROVIDERS", "vonage"))).countries()).contains("GB");
        assertThat(SignupSettings.from(dev.dripline.config.Env.of(Map.of("DRIPLINE_SIGNUP_COUNTRIES", "gb, de"))).countries())
                .containsExactly("GB", "DE");
        assertThatThrownBy(() -> SignupSettings.from(dev.dripline.config.Env.of(Map.of("DRIPLINE_SIGNUP_COUNTRIES", "XX"))))
                .hasMessageContaining("DRIPLINE_SIGNUP_COUNTRIES");
    }
}
