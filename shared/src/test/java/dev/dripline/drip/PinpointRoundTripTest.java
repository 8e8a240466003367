package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.contacts.Contact;
import dev.dripline.imports.ImportChunk;
import dev.dripline.json.Json;
import dev.dripline.messaging.Message;
import dev.dripline.migrations.pinpoint.ExportFolder;
import dev.dripline.migrations.pinpoint.PinpointFile;
import dev.dripline.migrations.pinpoint.PinpointMigration;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The round trip: a Pinpoint journey (journey-roundtrip.json: a holdout, an SMS, a one-day wait,
 * a yes/no split on the Tier attribute, a 50/50 random split and a second SMS) with its templates
 * and 100 exported endpoints, imported and run on the drip engine; each contact receives what the
 * Pinpoint journey would have sent it: held out, nothing; otherwise the welcome at once, and a
 * day later the offer if gold, or if the random split sends it there.
 */
@ExtendWith(EnginesExtension.class)
class PinpointRoundTripTest {

    static final int CONTACTS = 100;

    @SuppressWarnings("unchecked")
    @Test
    void theImportedJourneySendsWhatPinpointWouldHaveSent(Engines engines) {
        DripHarness h = new DripHarness(engines, JourneysTest.ny("2037-03-02T10:00:00"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < CONTACTS; i++) {
            lines.append(String.format("{\"ChannelType\":\"SMS\",\"Address\":\"+1212555%04d\",\"OptOut\":\"NONE\",\"EndpointStatus\":\"ACTIVE\","
                    + "\"Location\":{\"Country\":\"US\",\"City\":\"Boston\"},\"Demographic\":{\"Timezone\":\"America/New_York\"},"
                    + "\"Attributes\":{\"Tier\":[\"%s\"]},\"User\":{\"UserId\":\"u%d\",\"UserAttributes\":{\"FirstName\":[\"P%d\"]}},"
                    + "\"Id\":\"ep%d\"}%n", 100 + i, i % 2 == 0 ? "gold" : "silver", i, i, i));
        }
        List<PinpointFile> files = new ArrayList<>();
        files.add(PinpointFile.recognise("part-00000", lines.toString().getBytes(StandardCharsets.UTF_8)));
        for (PinpointFile f : ExportFolder.read(Path.of("src/test/resources/pinpoint"))) {
            if (f.name().startsWith("journey-roundtrip") || f.name().startsWith("template-")) {
                files.add(f);
            }
        }
        Map<String, Object> report = PinpointMigration.of(h.core).run(files, false, "test", s -> { });
        drainImports(h, engines);
        Map<String, Object> journey = ((List<Map<String, Object>>) report.get("journeys")).get(0);
        String campaignId = (String) journey.get("id");
        assertThat(campaignId).as(Json.write(journey)).isNotNull();
        h.core.journeyInbox().activated(h.core.campaigns().transition(campaignId, Campaign.Status.ACTIVE));
        h.pump();

        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            Contact c = h.core.contacts().byPhone(String.format("+1212555%04d", 100 + i)).orElseThrow();
            contacts.add(c);
            h.event(c.id(), "signup", Map.of());
        }
        h.advance(Duration.ofDays(2));

        CampaignDefinition def = h.core.campaigns().version(campaignId, 1).definition();
        RandomSplit coin = def.step("coin").split().orElseThrow();
        Holdout hold = def.step("hold").holdout().orElseThrow();
        Map<String, Integer> paths = new LinkedHashMap<>();
        for (int i = 0; i < CONTACTS; i++) {
            Contact c = contacts.get(i);
            List<String> expected = new ArrayList<>();
            String path;
            if (hold.holdsOut(campaignId, c.id())) {
                path = "held out";
            } else {
                expected.add("Hi P" + i + ", welcome to Acme rewards!");
                boolean gold = i % 2 == 0;
                boolean offer = gold || coin.choose(campaignId, "coin", c.id()).equals("offer");
                if (offer) {
                    expected.add("P" + i + ", 20% off in Boston this week. Show code SPRING at the till.");
                }
                path = gold ? "gold" : offer ? "coin: offer" : "coin: end";
            }
            paths.merge(path, 1, Integer::sum);
            List<Message> sent = h.sent(c.id());
            assertThat(sent).as("contact %d (%s)", i, path).hasSize(expected.size());
            for (int m = 0; m < expected.size(); m++) {
                assertThat(sent.get(m).body()).as("contact %d message %d", i, m).contains(expected.get(m));
            }
            if (sent.size() == 2) {
                assertThat(Duration.between(sent.get(0).createdAt(), sent.get(1).createdAt())).isEqualTo(Duration.ofDays(1));
            }
        }
        assertThat(paths).as("every path of the journey was taken").containsKeys("held out", "gold", "coin: offer", "coin: end");

        Map<String, Object> stats = h.core.analytics().campaignStats(campaignId);
        Map<String, Object> holdout = (Map<String, Object>) stats.get("holdout");
        assertThat(((Map<String, Object>) holdout.get("holdout")).get("contacts")).isEqualTo((long) paths.get("held out"));
        assertThat(((Map<String, Object>) holdout.get("treatment")).get("contacts")).isEqualTo((long) (CONTACTS - paths.get("held out")));
    }

    private static void drainImports(DripHarness h, Engines engines) {
        String url = h.core.settings().audience().importsQueueUrl();
        while (true) {
            var got = engines.sqs().receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
            if (got.isEmpty()) {
                return;
            }
            for (var m : got) {
                h.core.imports().process(Json.read(m.body(), ImportChunk.class));
                engines.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

}
