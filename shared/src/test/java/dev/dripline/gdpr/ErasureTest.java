package dev.dripline.gdpr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.conversations.InboundSms;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class ErasureTest {

    private static final String PHONE = "+14155550301";
    private TestCore core;
    private Contacts contacts;
    private Engines engines;

    @BeforeEach
    void freshTables(Engines engines) {
        this.engines = engines;
        core = new TestCore(engines, Clock.systemUTC());
        contacts = core.dripline.contacts();
    }

    private static ContactInput optedIn(String phone) {
        return new ContactInput(phone, null, "Ada", "Lovelace", "ada@example.com", null, Map.of("tier", "gold"), List.of("vip"),
                new ContactInput.ConsentInput("opted_in", "import", null, "old CRM says yes", null, null));
    }

    @Test
    void anOptOutSurvivesErasureAndReimportAndRecreation() {
        Contact c = contacts.upsert(optedIn(PHONE), "t").contact();
        core.dripline.conversations().receive(new InboundSms("simulator", "sm1", PHONE, "+18335550100", "STOP", Instant.now()));
        assertThat(contacts.get(c.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);

        core.dripline.personalData().erase(c.id(), "t");
        assertThat(contacts.get(c.id())).isEmpty();
        assertThat(contacts.byPhone(PHONE)).isEmpty();
        assertThat(core.dripline.audience().find(null, "vip", null, 100, null).items()).isEmpty();

        // Re-created through the API with consent: still opted out, with the ledger citing the suppression list.
        Contacts.Upserted again = contacts.upsert(optedIn(PHONE), "t");
        assertThat(again.created()).isTrue();
        assertThat(again.contact().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
        assertThat(core.dripline.consentLedger().entries(again.contact().id())).singleElement()
                .satisfies(e -> assertThat(e.source()).isEqualTo("suppression_list"));

        // And a re-import (the batch path) of a second erased number, likewise.
        Contact other = contacts.upsert(optedIn("+14155550302"), "t").contact();
        core.dripline.personalData().erase(other.id(), "t");
        var outcome = new dev.dripline.contacts.ContactBatch(contacts).write(
                List.of(new dev.dripline.contacts.ContactBatch.Row(2, optedIn("+14155550302"))), "import");
        assertThat(outcome.created()).isEqualTo(1);
        assertThat(contacts.byPhone("+14155550302").orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_OUT);
    }

    @Test
    void erasureScrubsMessagesKeepsThemForStatisticsAndKeepsOnlyAHash() {
        Contact c = contacts.upsert(optedIn("+14155550303"), "t").contact();
        Message out = core.dripline.messages().submit(new OneOffMessage("+14155550303", null, "Your order shipped", "transactional", null, null), "t");
        core.dripline.conversations().receive(new InboundSms("simulator", "sm2", "+14155550303", "+18335550100", "Thanks, Ada here", Instant.now()));

        Map<String, Object> export = core.dripline.personalData().export(c.id());
        assertThat(export).containsKeys("contact", "consent", "messages");
        assertThat((List<?>) export.get("messages")).hasSize(2);

        core.dripline.personalData().erase(c.id(), "t");
        Message scrubbed = core.dripline.messageStore().get(out.id()).orElseThrow();
        assertThat(scrubbed.body()).isNull();
        assertThat(scrubbed.to()).isNull();
        assertThat(scrubbed.segments()).isEqualTo(1);
        assertThat(core.dripline.messageStore().allOf(c.id())).allSatisfy(m -> {
            assertThat(m.body()).isNull();
            assertThat(m.from()).isNull();
        });
        List<ConsentEntry> ledger = core.dripline.consentLedger().entries(c.id());
        assertThat(ledger).extracting(ConsentEntry::source).containsExactly("import", "erasure");
        // Nothing in the contacts or messages tables holds the number any more.
        for (String table : List.of(core.dripline.settings().tables().contacts(), core.dripline.settings().tables().messages())) {
            assertThat(engines.dynamoDb().scan(r -> r.tableName(table)).items().toString()).doesNotContain("4155550303");
        }
    }
}
