package dev.dripline.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentEntry;
import dev.dripline.consent.ConsentExport;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.conversations.DoubleOptIn;
import dev.dripline.conversations.InboundSms;
import dev.dripline.messaging.Message;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class ConsentExportAndDoubleOptInTest {

    private TestCore core;

    @BeforeEach
    void freshTables(Engines engines) {
        core = new TestCore(engines, Clock.systemUTC());
    }

    private Contact withConsent(String phone, String status) {
        return core.dripline.contacts().upsert(new ContactInput(phone, null, null, null, null, null, null, null,
                new ContactInput.ConsentInput(status, "web_form", null, "Text me, \"please\", = now", "203.0.113.9", null)), "t").contact();
    }

    @Test
    void theExportReturnsEveryEntryOfTheRangeInPagesAsCsvOrJsonLines() {
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(withConsent("+1415555060" + i, "opted_in").id());
        }
        Instant after = Instant.now().plusSeconds(1);
        List<ConsentEntry> all = new ArrayList<>();
        String cursor = null;
        do {
            ConsentLedger.ExportPage page = core.dripline.consentLedger().export(before, after, 3, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(3);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(all).extracting(ConsentEntry::contactId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(core.dripline.consentLedger().export(after, after.plus(Duration.ofDays(1)), 10, null).items()).isEmpty();

        String csv = ConsentExport.render(all.subList(0, 1), "csv");
        assertThat(csv).startsWith("recordedAt,contactId,entryId,status,channel,source,proof,ip,userAgent,actor,capturedAt,topic,scope,rule\r\n");
        assertThat(csv).contains("\"Text me, \"\"please\"\", = now\"").contains("opted_in").contains("203.0.113.9");
        String jsonl = ConsentExport.render(all, "jsonl");
        assertThat(jsonl.split("\n")).hasSize(7);
    }

    @Test
    void aPendingContactIsAskedAndYesOrShiConfirms() {
        for (String reply : List.of("YES", "是")) {
            String phone = reply.equals("YES") ? "+14155550611" : "+14155550612";
            Contact c = withConsent(phone, "pending");
            assertThat(c.consent()).isEqualTo(ConsentStatus.PENDING);
            List<Message> sent = core.dripline.messageStore().allOf(c.id());
            assertThat(sent).singleElement().satisfies(m ->
                    assertThat(m.body()).isEqualTo(DoubleOptIn.question(core.dripline.settings().brand())));

            core.dripline.conversations().receive(new InboundSms("simulator", "yes-" + phone, phone, "+18335550100", reply, Instant.now()));

            assertThat(core.dripline.contacts().get(c.id()).orElseThrow().consent()).isEqualTo(ConsentStatus.OPTED_IN);
            assertThat(core.dripline.consentLedger().entries(c.id())).extracting(ConsentEntry::status)
                    .containsExactly(ConsentStatus.PENDING, ConsentStatus.OPTED_IN);
        }
    }
}
