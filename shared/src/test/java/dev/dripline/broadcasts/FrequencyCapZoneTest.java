package dev.dripline.broadcasts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.drip.Campaign;
import dev.dripline.drip.DripHarnessAccess;
import dev.dripline.drip.JourneyInbox;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The daily frequency cap counts a contact's day one way, whichever capability sends. */
@ExtendWith(EnginesExtension.class)
class FrequencyCapZoneTest {

    static final ZoneId NY = ZoneId.of("America/New_York");

    @Test
    void aCampaignSendAndABroadcastSendNearMidnightCountInTheSameLocalDay(Engines engines) {
        // 20:00 in New York on the 23rd is 01:00 UTC on the 24th: one local day, two UTC days.
        Instant evening = LocalDateTime.parse("2037-11-23T20:00:00").atZone(NY).toInstant();
        DripHarnessAccess h = new DripHarnessAccess(engines, evening, Map.of("DRIPLINE_FREQUENCY_CAP", "1"));
        Contact c = h.contact("+12125550170", "Mo", ConsentStatus.OPTED_IN);
        h.core().contacts().patch(c.id(), ContactPatch.parse(Map.of("tags", List.of("vip"))), "test");
        // A zone name stored by an older time-zone database, unreadable now: the contact's day falls back to
        // the zone of its number (New York), as its quiet hours do.
        engines.dynamoDb().updateItem(u -> u.tableName(h.core().settings().tables().contacts())
                .key(Map.of("id", AttributeValue.fromS(c.id()))).updateExpression("SET #tz = :z").expressionAttributeNames(Map.of("#tz", "timeZone"))
                .expressionAttributeValues(Map.of(":z", AttributeValue.fromS("America/Atlantis"))));

        Campaign campaign = h.core().campaigns().create(Json.read("""
                {"name": "Evening", "trigger": {"event": "go"}, "frequencyCap": "skip", "steps": [{"id": "a", "send": {"body": "Campaign"}}]}""",
                JsonNode.class));
        h.core().journeyInbox().activated(h.core().campaigns().transition(campaign.id(), Campaign.Status.ACTIVE));
        h.core().journeyInbox().event(new JourneyInbox.EventInput(null, c.id(), null, null, "go", Map.of(), null));
        h.pump();
        assertThat(h.sent(c.id())).extracting(Message::body).singleElement().asString().contains("Campaign");

        Broadcasts.Broadcast b = h.core().broadcasts().create(new Broadcasts.BroadcastInput("Later the same evening",
                Map.of("tags", List.of("vip")), "Broadcast", "marketing", null, null, null));
        h.pump();
        assertThat(h.sent(c.id())).extracting(Message::body).singleElement().asString().contains("Campaign");
        assertThat(h.core().broadcasts().get(b.id()).counts()).containsEntry("skippedCapped", 1L);
    }
}
