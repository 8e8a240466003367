package dev.dripline.migrations.pinpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.drip.CampaignDefinition;
import java.nio.file.Files;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneyTranslationTest {

    static JsonNode body(String fixture) throws Exception {
        return PinpointFile.recognise(fixture, Files.readAllBytes(PinpointImportTest.FIXTURES.resolve(fixture))).body();
    }

    static Map<String, JsonNode> templates() throws Exception {
        return Map.of("welcome", body("template-welcome.json"), "offer", body("template-offer.json"));
    }

    @Test
    void theRoundTripJourneyBecomesACampaignWithItsWindowCapsAndSteps() throws Exception {
        JourneyTranslation t = new JourneyTranslation(body("journey-roundtrip.json"), templates(), Map.of());
        CampaignDefinition def = CampaignDefinition.parse(t.campaign());
        assertThat(def.trigger()).isEqualTo(new CampaignDefinition.Trigger.OnEvent("signup"));
        assertThat(def.sendWindow().orElseThrow().start()).isEqualTo(LocalTime.of(8, 0));
        assertThat(def.sendWindow().orElseThrow().end()).isEqualTo(LocalTime.of(21, 0));
        assertThat(def.reentry()).isEqualTo(new CampaignDefinition.Reentry.Once());
        assertThat(def.capPolicy()).isEqualTo(CampaignDefinition.CapPolicy.SKIP);
        assertThat(def.steps()).extracting(CampaignDefinition.Step::id).startsWith("hold").contains("welcome", "wait1", "isGold", "coin", "offer");
        assertThat(def.step("hold").holdout().orElseThrow().percent()).isEqualTo(10);
        assertThat(def.step("welcome").variants().get(0).body().text()).isEqualTo("Hi {{firstName|there}}, welcome to Acme rewards!");
        assertThat(def.step("wait1").pause()).contains(new CampaignDefinition.Wait.For(Duration.ofDays(1)));
        assertThat(def.step("isGold").branches()).singleElement().satisfies(b -> {
            assertThat(((CampaignDefinition.Branch.Tag) b).tag()).isEqualTo("tier:gold");
            assertThat(b.target()).isEqualTo("offer");
        });
        assertThat(def.step("isGold").otherwise()).isEqualTo("coin");
        assertThat(def.step("coin").split().orElseThrow().paths()).extracting(p -> p.percent()).containsExactly(50, 50);
        assertThat(def.step("offer").variants().get(0).body().text()).startsWith("{{firstName|Friend}}, 20% off in {{attributes.city|store}}");
        assertThat(t.report()).anyMatch(l -> l.startsWith("Limits.DailyCap 3")).anyMatch(l -> l.startsWith("Limits.MessagesPerSecond"))
                .anyMatch(l -> l.startsWith("Schedule 2026-01-06T00:00:00Z"));
    }

    @Test
    void everyActivityKindIsTranslatedOrBridgedAndReported() throws Exception {
        JourneyTranslation t = new JourneyTranslation(body("journey-every-activity.json"), templates(), Map.of("seg-gold", "seg_123"));
        CampaignDefinition def = CampaignDefinition.parse(t.campaign());
        assertThat(def.trigger()).isEqualTo(new CampaignDefinition.Trigger.OnSegment("seg_123"));
        assertThat(def.category().name()).as("one SMS is transactional, one promotional").isEqualTo("MARKETING");
        assertThat(def.sendWindow().orElseThrow().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY);
        assertThat(def.sendWindow().orElseThrow().start()).isEqualTo(LocalTime.of(9, 0));
        assertThat(def.reentry()).isEqualTo(new CampaignDefinition.Reentry.After(Duration.ofDays(30)));
        assertThat(def.step("until").pause()).contains(new CampaignDefinition.Wait.At(java.time.Instant.parse("2026-12-01T15:00:00Z")));
        CampaignDefinition.Step router = def.step("router");
        assertThat(router.pause()).contains(new CampaignDefinition.Wait.For(Duration.ofHours(2)));
        assertThat(router.branches()).hasSize(2);
        assertThat(((CampaignDefinition.Branch.Event) router.branches().get(0)).event()).isEqualTo("purchase");
        assertThat(router.branches().get(0).target()).isEqualTo("thanks");
        assertThat(((CampaignDefinition.Branch.Attribute) router.branches().get(1)).attribute()).isEqualTo("purchases");
        assertThat(router.otherwise()).isEqualTo("both");
        assertThat(def.step("both").branches()).extracting(b -> ((CampaignDefinition.Branch.Tag) b).tag()).containsExactly("tier:gold");
        assertThat(def.step("both").branches().get(0).target()).isEqualTo("both-and2");
        assertThat(def.step("both-and2").branches()).extracting(b -> ((CampaignDefinition.Branch.Tag) b).tag())
                .containsExactly("interests:hiking", "interests:cooking");
        assertThat(def.step("hook").actions().stream().filter(a -> a instanceof CampaignDefinition.Action.Webhook)
                .map(a -> ((CampaignDefinition.Action.Webhook) a).event()).findFirst().orElseThrow()).isEqualTo("pinpoint.custom.hook");
        assertThat(def.step("mail").sends()).isFalse();
        assertThat(def.step("mail").next()).isEqualTo("push");
        assertThat(def.step("push").next()).isEqualTo("call");
        assertThat(def.step("call").next()).isEqualTo("thanks");
        assertThat(def.step("missing").sends()).isFalse();
        assertThat(def.step("missing").exit()).isTrue();
        List<String> report = t.report();
        assertThat(report).anyMatch(l -> l.startsWith("EMAIL activity mail bridged"))
                .anyMatch(l -> l.startsWith("PUSH activity push bridged"))
                .anyMatch(l -> l.startsWith("ContactCenter activity call bridged"))
                .anyMatch(l -> l.startsWith("CUSTOM activity hook"))
                .anyMatch(l -> l.contains("template not-exported not among the files"))
                .anyMatch(l -> l.contains("membership of segment seg-lapsed"))
                .anyMatch(l -> l.contains("an event of message thanks"))
                .anyMatch(l -> l.startsWith("ClosedDays"))
                .anyMatch(l -> l.startsWith("LocalTime false"))
                .anyMatch(l -> l.startsWith("Limits.TotalCap"))
                .anyMatch(l -> l.contains("OriginationNumber"))
                .anyMatch(l -> l.contains("mix TRANSACTIONAL and PROMOTIONAL"));
    }
}
