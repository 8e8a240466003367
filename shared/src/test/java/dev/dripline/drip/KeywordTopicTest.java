package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.errors.InvalidInput;
import dev.dripline.keywords.KeywordProgram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keyword programs name a topic: a confirmed text-to-join records consent for it, and with
 * DRIPLINE_REVOCATION_SCOPE=topic a STOP to a number the program lists revokes that topic only,
 * without DRIPLINE_NUMBER_TOPICS naming the number.
 */
@ExtendWith(EnginesExtension.class)
class KeywordTopicTest {

    private static final Map<String, String> TOPIC_SCOPE_ONLY = Map.of("DRIPLINE_REVOCATION_SCOPE", "topic");

    private static KeywordProgram program(DripHarness h, String keyword, Object topic, boolean confirm) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("keyword", keyword, "numbers", List.of(TopicConsentTest.REMINDERS_NUMBER),
                "reply", "You're in, {{firstName|there}}", "event", "joined"));
        if (topic != null) {
            body.put("topic", topic);
        }
        if (confirm) {
            body.put("optIn", Map.of("confirm", true));
        }
        return h.core.keywordPrograms().create(body);
    }

    @Test
    void aStopToAProgramsNumberRevokesTheProgramsTopicOnly(Engines engines) {
        DripHarness h = new DripHarness(engines, TopicConsentTest.BEFORE_REVOKE_ALL, TOPIC_SCOPE_ONLY);
        KeywordProgram p = program(h, "CLINIC", "reminders", false);
        assertThat(p.topic()).isEqualTo("reminders");
        assertThat(h.core.keywordPrograms().get(p.id()).topic()).as("stored").isEqualTo("reminders");
        Contact cy = h.contact("+14155550301", "Cy");

        TopicConsentTest.text(h, cy, "STOP");

        Contact after = h.core.contacts().get(cy.id()).orElseThrow();
        assertThat(after.consent()).as("still opted in as a whole").isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(after.consentFor("reminders")).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(after.consentFor("marketing")).isEqualTo(ConsentStatus.OPTED_IN);
        List<ConsentEntry> ledger = TopicConsentTest.ledger(h, cy.id());
        assertThat(ledger.get(ledger.size() - 1).topic()).isEqualTo("reminders");
        assertThat(ledger.get(ledger.size() - 1).scope()).isEqualTo("topic");

        TopicConsentTest.text(h, cy, "START");
        assertThat(h.core.contacts().get(cy.id()).orElseThrow().consentFor("reminders")).isEqualTo(ConsentStatus.OPTED_IN);
    }

    @Test
    void withoutATopicTheStopStillRevokesEverything(Engines engines) {
        DripHarness h = new DripHarness(engines, TopicConsentTest.BEFORE_REVOKE_ALL, TOPIC_SCOPE_ONLY);
        program(h, "CLINIC", null, false);
        Contact di = h.contact("+14155550302", "Di");
        TopicConsentTest.text(h, di, "STOP");
        assertThat(h.core.contacts().get(di.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
    }

    @Test
    void aConfirmedTextToJoinRecordsConsentForTheProgramsTopic(Engines engines) {
        DripHarness h = new DripHarness(engines, TopicConsentTest.BEFORE_REVOKE_ALL);
        program(h, "CLINIC", "reminders", true);
        Contact ed = h.contact("+14155550303", "Ed", null, Map.of());

        TopicConsentTest.text(h, ed, "CLINIC");
        assertThat(h.core.contacts().get(ed.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.PENDING);
        TopicConsentTest.text(h, ed, "Y");

        Contact joined = h.core.contacts().get(ed.id()).orElseThrow();
        assertThat(joined.consent()).isEqualTo(ConsentStatus.OPTED_IN);
        assertThat(joined.topics()).containsEntry("reminders", ConsentStatus.OPTED_IN);
        assertThat(TopicConsentTest.ledger(h, ed.id())).anySatisfy(e -> {
            assertThat(e.topic()).isEqualTo("reminders");
            assertThat(e.status()).isEqualTo(ConsentStatus.OPTED_IN);
            assertThat(e.proof()).contains("\"keyword\":\"CLINIC\"").contains("\"topic\":\"reminders\"");
        });
    }

    @Test
    void anUnknownTopicIsRefusedNamingTheField(Engines engines) {
        DripHarness h = new DripHarness(engines, TopicConsentTest.BEFORE_REVOKE_ALL);
        assertThatThrownBy(() -> program(h, "CLINIC", "weather", false)).isInstanceOfSatisfying(InvalidInput.class,
                e -> assertThat(e.errors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("topic")))
                .hasMessageContaining("marketing, reminders, alerts");
        assertThatThrownBy(() -> program(h, "CLINIC", 7, false)).isInstanceOf(InvalidInput.class).hasMessageContaining("topic");
    }
}
