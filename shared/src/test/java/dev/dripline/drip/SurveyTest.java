package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.contacts.Contact;
import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import dev.dripline.messaging.Message;
import dev.dripline.schedule.Due;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replies saved as answers (waitForReply.save), asked again when invalid, branched on, and counted in the stats. */
@ExtendWith(EnginesExtension.class)
class SurveyTest {

    static final String NPS_SURVEY = JourneysTest.read("../events/campaign-nps-survey.json");
    static final Instant TEN_AM = JourneysTest.ny("2037-11-23T10:00:00");

    private static List<String> bodies(DripHarness h, Contact c) {
        return h.sent(c.id()).stream().map(Message::body).toList();
    }

    private static Object attribute(DripHarness h, Contact c, String name) {
        return h.core.contacts().get(c.id()).orElseThrow().attributes().get(name);
    }

    /** The contact answers a minute later (the messages' times then tell their order). */
    private static void answer(DripHarness h, Contact c, String body) {
        h.advance(Duration.ofMinutes(1));
        h.reply(c, body);
    }

    private static List<String> outcomes(Enrolment e) {
        return e.history().stream().map(Enrolment.StepRecord::outcome).toList();
    }

    @Test
    void threeIsSavedAndBranchesToTheDetractorStepWhoseTextAnswerIsSavedToo(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        Contact ada = h.contact("+12125550301", "Ada");
        String campaign = h.campaign(NPS_SURVEY);
        h.event(ada.id(), "order_delivered", Map.of());
        assertThat(bodies(h, ada)).singleElement().asString().contains("from 0 to 10");

        answer(h, ada, "3");
        assertThat(new BigDecimal(String.valueOf(attribute(h, ada, "nps")))).isEqualByComparingTo("3");
        assertThat(h.sent(ada.id())).extracting(m -> m.origin().stepId()).containsExactly("ask", "detractor");
        Enrolment e = h.enrolment(ada.id(), campaign);
        assertThat(e.stepId()).isEqualTo("detractor");
        assertThat(e.waiting()).isEqualTo(Enrolment.Waiting.REPLY);
        assertThat(outcomes(e)).anySatisfy(o -> assertThat(o).startsWith("answer nps=3 (reply in_simulator_in1) -> detractor"));

        answer(h, ada, "Delivery took two weeks");
        assertThat(attribute(h, ada, "feedback")).isEqualTo("Delivery took two weeks");
        Enrolment done = h.enrolment(ada.id(), campaign);
        assertThat(done.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(done.endReason()).isEqualTo("exit:done");
        assertThat(outcomes(done)).as("a text answer is not copied into the history")
                .noneMatch(o -> o.contains("two weeks")).anyMatch(o -> o.startsWith("answer feedback=(text)"));
    }

    @Test
    void anInvalidAnswerIsAskedAgainUpToTheRetriesThenTheRunGoesOnAsOnTimeout(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        Contact bo = h.contact("+12125550302", "Bo");
        String campaign = h.campaign(NPS_SURVEY);
        h.event(bo.id(), "order_delivered", Map.of());
        Instant deadline = h.enrolment(bo.id(), campaign).dueAt();

        answer(h, bo, "abc");
        assertThat(bodies(h, bo)).hasSize(2).last().asString().endsWith("Please answer with a number from 0 to 10");
        assertThat(h.enrolment(bo.id(), campaign).waiting()).isEqualTo(Enrolment.Waiting.REPLY);
        assertThat(h.enrolment(bo.id(), campaign).dueAt()).as("asking again keeps the deadline").isEqualTo(deadline);
        answer(h, bo, "11");
        assertThat(bodies(h, bo)).as("11 is out of range: asked a second time").hasSize(3);
        answer(h, bo, "abc");
        assertThat(bodies(h, bo)).as("the third invalid answer is not answered").hasSize(3);
        Enrolment e = h.enrolment(bo.id(), campaign);
        assertThat(e.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(e.endReason()).as("onTimeout's step").isEqualTo("exit:done");
        assertThat(outcomes(e)).filteredOn(o -> o.startsWith("invalid reply")).hasSize(3).last().asString().contains("gave up -> done");
        assertThat(attribute(h, bo, "nps")).isNull();

        h.advanceTo(deadline.plusSeconds(1));
        assertThat(bodies(h, bo)).as("the old deadline does nothing").hasSize(3);
    }

    @Test
    void theDeadlineStillHoldsAfterAnAskAgain(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        Contact cy = h.contact("+12125550303", "Cy");
        String campaign = h.campaign(NPS_SURVEY);
        h.event(cy.id(), "order_delivered", Map.of());
        h.advance(Duration.ofHours(2));
        answer(h, cy, "dunno");
        assertThat(bodies(h, cy)).hasSize(2);
        h.advance(Duration.ofHours(22).plusMinutes(1));
        Enrolment e = h.enrolment(cy.id(), campaign);
        assertThat(e.state()).isEqualTo(Enrolment.State.COMPLETED);
        assertThat(outcomes(e)).contains("timeout");
    }

    @Test
    void keywordsKeepTheirMeaningAndAreNoAnswersWhileFullWidthDigitsAre(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        Contact di = h.contact("+12125550304", "Di");
        String campaign = h.campaign(NPS_SURVEY);
        h.event(di.id(), "order_delivered", Map.of());
        answer(h, di, "START");
        answer(h, di, "HELP");
        assertThat(h.sent(di.id())).as("no ask-again for a keyword").extracting(m -> m.origin().stepId()).containsExactly("ask");
        assertThat(outcomes(h.enrolment(di.id(), campaign))).noneMatch(o -> o.startsWith("invalid"));

        answer(h, di, "１０");
        assertThat(new BigDecimal(String.valueOf(attribute(h, di, "nps")))).isEqualByComparingTo("10");
        assertThat(h.sent(di.id())).extracting(m -> m.origin().stepId()).containsExactly("ask", "promoter");
    }

    @Test
    void aReplyDeliveredTwiceIsTakenOnce(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        Contact ed = h.contact("+12125550305", "Ed");
        String campaign = h.campaign(NPS_SURVEY);
        h.event(ed.id(), "order_delivered", Map.of());
        answer(h, ed, "abc");
        Due.Reply first = (Due.Reply) h.delivered.stream().filter(d -> d instanceof Due.Reply).findFirst().orElseThrow();
        h.deliver(first);
        h.pump();
        assertThat(bodies(h, ed)).as("one ask-again").hasSize(2);
        assertThat(outcomes(h.enrolment(ed.id(), campaign))).filteredOn(o -> o.startsWith("invalid reply")).hasSize(1);
    }

    @Test
    void yesNoTakesChineseAnswersAndYAndBranchesOnTheBoolean(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        String campaign = h.campaign("""
                {"name": "Callback", "trigger": {"event": "ticket_closed"}, "steps": [
                  {"id": "ask", "send": {"body": "Did we solve your problem? Reply Y or N"},
                   "waitForReply": {"timeout": "P1D", "save": {"attribute": "solved", "type": "yesno"},
                                    "invalid": {"reply": "Please reply Y or N", "retries": 1}},
                   "onInvalid": "agent",
                   "branches": [{"attribute": "solved", "equals": false, "goto": "agent"}], "goto": "done"},
                  {"id": "agent", "send": {"body": "An agent will call you."}},
                  {"id": "done", "exit": true}]}""");
        Contact yes = h.contact("+12125550306", "Fa");
        Contact no = h.contact("+12125550307", "Gu");
        Contact y = h.contact("+12125550308", "Hu");
        Contact lost = h.contact("+12125550309", "Io");
        for (Contact c : List.of(yes, no, y, lost)) {
            h.event(c.id(), "ticket_closed", Map.of());
        }
        answer(h, yes, "是的");
        answer(h, no, "不");
        answer(h, y, "Y");
        answer(h, lost, "maybe");
        answer(h, lost, "perhaps");
        assertThat(attribute(h, yes, "solved")).isEqualTo(true);
        assertThat(attribute(h, no, "solved")).isEqualTo(false);
        assertThat(attribute(h, y, "solved")).as("Y confirms only a pending opt-in; to a yes/no question it is yes").isEqualTo(true);
        assertThat(h.sent(yes.id())).extracting(m -> m.origin().stepId()).containsExactly("ask");
        assertThat(h.sent(no.id())).extracting(m -> m.origin().stepId()).containsExactly("ask", "agent");
        assertThat(h.sent(lost.id())).as("asked again once, then onInvalid").extracting(m -> m.origin().stepId())
                .containsExactly("ask", "ask", "agent");
        assertThat(h.enrolment(yes.id(), campaign).endReason()).isEqualTo("exit:done");
    }

    @Test
    void anAnswerIsPublishedAsCampaignAnsweredToTheIntegrator(Engines engines) throws Exception {
        List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer integrator = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        integrator.createContext("/hooks", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        integrator.start();
        try {
            DripHarness h = new DripHarness(engines, TEN_AM, Map.of(
                    "DRIPLINE_OUTBOUND_WEBHOOK_URL", "http://127.0.0.1:" + integrator.getAddress().getPort() + "/hooks",
                    "DRIPLINE_OUTBOUND_WEBHOOK_SECRET", "whsec_test_0123456789"));
            Contact jo = h.contact("+12125550310", "Jo");
            String campaign = h.campaign(NPS_SURVEY);
            h.event(jo.id(), "order_delivered", Map.of());
            answer(h, jo, "9");
            assertThat(posted).map(body -> dev.dripline.json.Json.read(body, com.fasterxml.jackson.databind.JsonNode.class))
                    .filteredOn(event -> event.path("type").asText().equals("campaign.answered"))
                    .singleElement().satisfies(event -> {
                        assertThat(event.path("data").path("campaignId").asText()).isEqualTo(campaign);
                        assertThat(event.path("data").path("stepId").asText()).isEqualTo("ask");
                        assertThat(event.path("data").path("attribute").asText()).isEqualTo("nps");
                        assertThat(event.path("data").path("type").asText()).isEqualTo("integer");
                        assertThat(event.path("data").path("value").asInt()).isEqualTo(9);
                        assertThat(event.path("data").path("contactId").asText()).isEqualTo(jo.id());
                    });
        } finally {
            integrator.stop(0);
        }
    }

    @Test
    void theStatsShowTheAnswersDistributionAndTheirNps(Engines engines) {
        DripHarness h = new DripHarness(engines, TEN_AM);
        String campaign = h.campaign(NPS_SURVEY);
        String[] answers = {"3", "10", "9", "8", "abc"};
        for (int i = 0; i < answers.length; i++) {
            Contact c = h.contact("+1212555032" + i, "P" + i);
            h.event(c.id(), "order_delivered", Map.of());
            answer(h, c, answers[i]);
        }
        Map<String, Object> stats = h.core.analytics().campaignStats(campaign);
        @SuppressWarnings("unchecked")
        Map<String, Object> nps = (Map<String, Object>) ((Map<String, Object>) stats.get("answers")).get("nps");
        assertThat(nps).containsEntry("answered", 4L).containsEntry("invalid", 1L).containsEntry("gaveUp", 0L);
        assertThat(nps.get("distribution")).isEqualTo(Map.of("3", 1L, "8", 1L, "9", 1L, "10", 1L));
        assertThat(List.copyOf(((Map<?, ?>) nps.get("distribution")).keySet())).as("in numeric order").isEqualTo(List.of("3", "8", "9", "10"));
        // 2 promoters, 1 passive, 1 detractor of 4: (2 - 1) / 4 = 25.
        assertThat(nps.get("nps")).isEqualTo(Map.of("score", 25.0, "promoters", 2L, "passives", 1L, "detractors", 1L, "scored", 4L));
    }
}
