package dev.dripline.broadcasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.drip.DripHarnessAccess;
import dev.dripline.messaging.Message;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 19 end to end on local engines and a movable clock: the rules table holds a broadcast and adds China's text. */
@ExtendWith(EnginesExtension.class)
class ComplianceRulesBroadcastTest {

    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    private Contact member(DripHarnessAccess h, String phone, Map<String, Object> attributes) {
        Contact c = h.contact(phone, "Vi", ConsentStatus.OPTED_IN);
        java.util.Map<String, Object> patch = new java.util.HashMap<>(attributes);
        patch.put("tags", List.of("vip"));
        h.core().contacts().patch(c.id(), ContactPatch.parse(patch), "test");
        return c;
    }

    @Test
    void aTexasNumberOnASundayMorningGetsTheBroadcastAtNoonLocal(Engines engines) {
        // Sunday 2037-11-22, 10:00 in Chicago (16:00 UTC): SB 140 allows noon-21:00 on Sundays.
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-22T16:00:00Z"));
        Contact dallas = member(h, "+12145550140", Map.of());
        // A New York number whose owner lives in Texas (the state attribute wins over the area code).
        Contact movedToTexas = member(h, "+12125550141", Map.of("attributes", Map.of("state", "TX")));
        Contact newYork = member(h, "+12125550142", Map.of());

        h.core().broadcasts().create(new Broadcasts.BroadcastInput("Sunday sale", Map.of("tags", List.of("vip")), "20% off today",
                "marketing", null, null, null));
        h.pump();
        assertThat(h.sent(newYork.id())).hasSize(1);
        assertThat(h.sent(dallas.id())).isEmpty();
        assertThat(h.sent(movedToTexas.id())).isEmpty();

        h.advanceTo(Instant.parse("2037-11-22T17:59:00Z"));
        assertThat(h.sent(dallas.id())).isEmpty();
        h.advanceTo(Instant.parse("2037-11-22T18:30:00Z"));
        List<Message> sent = h.sent(dallas.id());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).createdAt().atZone(CHICAGO).toLocalTime()).hasToString("12:00");
        assertThat(h.sent(movedToTexas.id())).hasSize(1);
    }

    @Test
    void aChineseNumbersMarketingCarriesTheSignatureAndTheOptOutLine(Engines engines) {
        // 02:00 UTC is 10:00 in Shanghai.
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T02:00:00Z"));
        Contact shanghai = member(h, "+8613812345678", Map.of());
        h.core().broadcasts().create(new Broadcasts.BroadcastInput("双十二", Map.of("tags", List.of("vip")), "双十二全场八折",
                "marketing", null, null, null));
        h.pump();
        List<Message> sent = h.sent(shanghai.id());
        assertThat(sent).hasSize(1);
        String brand = h.core().settings().brand();
        assertThat(sent.get(0).body()).isEqualTo("【" + brand + "】双十二全场八折 退订回T");
        assertThat(sent.get(0).encoding()).isEqualTo("UCS-2");
    }
}
