package dev.dripline.broadcasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.TestCore;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.drip.DripHarnessAccess;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EnginesExtension.class)
class BroadcastsTest {

    static final ZoneId NY = ZoneId.of("America/New_York");
    static final ZoneId LA = ZoneId.of("America/Los_Angeles");

    private static Broadcasts.BroadcastInput toVips(String body, Instant sendAt, String sendAtLocal) {
        return new Broadcasts.BroadcastInput("VIP sale", Map.of("tags", List.of("vip")), body, "marketing", sendAt, sendAtLocal, null);
    }

    private Contact vip(DripHarnessAccess h, String phone, ConsentStatus consent) {
        Contact c = h.contact(phone, "Vi", consent);
        h.core().contacts().patch(c.id(), ContactPatch.parse(Map.of("tags", List.of("vip"))), "test");
        return c;
    }

    @Test
    void eachRecipientGetsItInsideTheirOwnQuietHoursAndOptOutsAreSkippedOnce(Engines engines) {
        // 15:00 UTC: 10:00 in New York, 07:00 in Los Angeles (quiet until 08:00), 16:00 in Paris.
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T14:00:00Z"));
        Contact ny = vip(h, "+12125550140", ConsentStatus.OPTED_IN);
        Contact la = vip(h, "+12135550141", ConsentStatus.OPTED_IN);
        Contact paris = vip(h, "+33612345678", ConsentStatus.OPTED_IN);
        Contact out = vip(h, "+12125550142", ConsentStatus.OPTED_IN);
        h.core().contacts().changeConsent(out.id(), ConsentStatus.OPTED_OUT, "keyword", "STOP", "test", h.now(), s -> true, tx -> { });
        Contact pending = vip(h, "+12125550143", ConsentStatus.PENDING);

        Broadcasts.Broadcast b = h.core().broadcasts().create(toVips("Hi {{firstName|there}}, 20% off today",
                Instant.parse("2037-11-23T15:00:00Z"), null));
        assertThat(b.audienceSize()).isEqualTo(5);
        assertThat(b.status()).isEqualTo("scheduled");

        h.advanceTo(Instant.parse("2037-11-23T15:00:00Z"));
        assertThat(h.sent(ny.id())).hasSize(1);
        assertThat(h.sent(paris.id())).hasSize(1);
        assertThat(h.sent(la.id())).isEmpty();
        assertThat(h.sent(ny.id()).get(0).body()).isEqualTo("Dripline Demo: Hi Vi, 20% off today Reply STOP to opt out");
        assertThat(h.sent(ny.id()).get(0).origin().broadcastId()).isEqualTo(b.id());

        h.advanceTo(Instant.parse("2037-11-23T16:00:00Z"));
        List<Message> laSent = h.sent(la.id());
        assertThat(laSent).hasSize(1);
        assertThat(laSent.get(0).createdAt().atZone(LA).toLocalTime()).hasToString("08:00");
        assertThat(h.sent(out.id())).isEmpty();
        assertThat(h.sent(pending.id())).isEmpty();

        Broadcasts.Broadcast after = h.core().broadcasts().get(b.id());
        assertThat(after.counts()).containsEntry("queued", 3L).containsEntry("skippedOptedOut", 2L).containsEntry("deferredQuietHours", 1L)
                .containsEntry("released", 1L).containsEntry("releasedQuietHours", 1L);
        assertThat(after.status()).isEqualTo("fanned_out");

        // The first page delivered again: nothing is sent or counted twice.
        h.deliver(new Due.BroadcastPage(b.id(), null));
        h.pump();
        assertThat(h.sent(ny.id())).hasSize(1);
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("queued", 3L).containsEntry("skippedOptedOut", 2L);
    }

    @Test
    void recipientsInsideAllowedHoursAreSentAtOnceHoweverLongThePageTakes(Engines engines) {
        // 15:00 UTC is 10:00 in New York. Each read of the clock moves it on 300 ms, as a busy page would:
        // the decision "now or later" must use the page's one reading, not a later one per recipient.
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T15:00:00Z"));
        List<Contact> all = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(vip(h, String.format("+1212555%04d", 3000 + i), ConsentStatus.OPTED_IN));
        }
        Broadcasts.Broadcast b = h.core().broadcasts().create(toVips("Open now", null, null));
        h.clock().tickOnEachRead(java.time.Duration.ofMillis(300));
        h.pump();
        h.clock().tickOnEachRead(java.time.Duration.ZERO);
        for (Contact c : all) {
            assertThat(h.sent(c.id())).as("sent to %s", c.phone()).hasSize(1);
        }
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("queued", 12L).containsEntry("held", 0L)
                .containsEntry("deferredQuietHours", 0L);
        assertThat(h.scheduled()).noneMatch(s -> s.due() instanceof Due.BroadcastRelease);
    }

    @Test
    void countsACrashLostAreRaisedFromTheRecordsAndNeverLowered(Engines engines) {
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T15:00:00Z"));
        for (int i = 0; i < 3; i++) {
            vip(h, String.format("+1212555%04d", 3100 + i), ConsentStatus.OPTED_IN);
        }
        Broadcasts.Broadcast b = h.core().broadcasts().create(toVips("Counted", null, null));
        h.pump();
        // A kill between the messages' writes and the page's count: the head says 1 of 3, the counters one too few.
        String campaigns = h.core().settings().tables().campaigns();
        engines.dynamoDb().updateItem(u -> u.tableName(campaigns).key(Map.of("id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(b.id()),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("head"))).updateExpression("SET queued = :one")
                .expressionAttributeValues(Map.of(":one", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("1"))));
        assertThat(h.core().broadcasts().recount(b.id())).isTrue();
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("queued", 3L);
        assertThat(h.core().broadcasts().recount(b.id())).isFalse();

        // More counted than the records show (records past their retention): left as it is.
        engines.dynamoDb().updateItem(u -> u.tableName(campaigns).key(Map.of("id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(b.id()),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("head"))).updateExpression("SET queued = :five")
                .expressionAttributeValues(Map.of(":five", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("5"))));
        assertThat(h.core().broadcasts().recount(b.id())).isFalse();
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("queued", 5L);
    }

    @Test
    void aLocalTimeBroadcastReachesEachZoneAtTenLocal(Engines engines) {
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-22T12:00:00Z"));
        Contact ny = vip(h, "+12125550150", ConsentStatus.OPTED_IN);
        Contact la = vip(h, "+12135550151", ConsentStatus.OPTED_IN);
        h.core().broadcasts().create(toVips("Doors open at ten", null, "2037-11-23T10:00"));
        h.advanceTo(Instant.parse("2037-11-24T00:00:00Z"));
        assertThat(h.sent(ny.id()).get(0).createdAt().atZone(NY).toLocalTime()).hasToString("10:00");
        assertThat(h.sent(la.id()).get(0).createdAt().atZone(LA).toLocalTime()).hasToString("10:00");
    }

    @Test
    void heldRecipientsShareOneSchedulePerOpeningMinuteNotOneEach(Engines engines) {
        // 60 recipients in three zones, all quiet at 09:00 UTC (04:00 New York, 03:00 Chicago, 01:00 Los Angeles):
        // one hold schedule per zone's opening minute.
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T09:00:00Z"));
        for (int i = 0; i < 20; i++) {
            vip(h, String.format("+1212555%04d", 2000 + i), ConsentStatus.OPTED_IN);
            vip(h, String.format("+1213555%04d", 2000 + i), ConsentStatus.OPTED_IN);
            vip(h, String.format("+1312555%04d", 2000 + i), ConsentStatus.OPTED_IN);
        }
        Broadcasts.Broadcast b = h.core().broadcasts().create(toVips("Night owls", null, null));
        h.pump();
        List<TestCore.Scheduled> releases = h.scheduled().stream().filter(s -> s.due() instanceof Due.BroadcastRelease).toList();
        assertThat(releases).extracting(TestCore.Scheduled::at).containsExactlyInAnyOrder(Instant.parse("2037-11-23T13:00:00Z"),
                Instant.parse("2037-11-23T14:00:00Z"), Instant.parse("2037-11-23T16:00:00Z"));
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("held", 60L);
        h.advanceTo(Instant.parse("2037-11-23T17:00:00Z"));
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("queued", 60L);
    }

    @Test
    void theFrequencyCapSkipsAcrossBroadcasts(Engines engines) {
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T15:00:00Z"), Map.of("DRIPLINE_FREQUENCY_CAP", "1"));
        Contact ny = vip(h, "+12125550160", ConsentStatus.OPTED_IN);
        h.core().broadcasts().create(toVips("First", null, null));
        h.pump();
        Broadcasts.Broadcast second = h.core().broadcasts().create(toVips("Second", null, null));
        h.pump();
        assertThat(h.sent(ny.id())).extracting(Message::body).singleElement().asString().contains("First");
        assertThat(h.core().broadcasts().get(second.id()).counts()).containsEntry("skippedCapped", 1L);
    }

    @Test
    void badInputNamesEveryField(Engines engines) {
        DripHarnessAccess h = new DripHarnessAccess(engines, Instant.parse("2037-11-23T15:00:00Z"));
        assertThatThrownBy(() -> h.core().broadcasts().create(new Broadcasts.BroadcastInput(null, Map.of("tags", List.of()), "Hi {{nme}}",
                "spam", Instant.parse("2037-11-23T15:00:00Z"), "tomorrow", "never")))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .contains("audience", "body", "category", "sendAtLocal", "frequencyCap"));
    }
}
