package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CampaignDefinitionTest {

    private static CampaignDefinition parse(String json) {
        return CampaignDefinition.parse(Json.read(json, JsonNode.class));
    }

    @Test
    void theApiMdExampleParses() {
        CampaignDefinition d = parse(JourneysTest.ABANDONED_CART);
        assertThat(d.steps()).extracting(CampaignDefinition.Step::id).containsExactly("remind", "ask", "answer", "help", "done");
        assertThat(d.step("answer").replyTimeout()).contains(Duration.ofDays(2));
        assertThat(d.trigger()).isEqualTo(new CampaignDefinition.Trigger.OnEvent("cart_abandoned"));
        assertThat(d.convertsOn("order_completed")).isTrue();
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        String broken = """
                {"name": "", "category": "spam", "trigger": {"event": "x"}, "reentry": "sometimes",
                 "sendWindow": {"start": "20:00", "end": "09:00"},
                 "steps": [
                   {"id": "a", "wait": "1 hour", "send": {"body": "Hi {{frstName}}"}, "goto": "nowhere"},
                   {"id": "b", "waitForReply": {"timeout": "P1D"}, "branches": [{"match": "(yes", "goto": "a"}]},
                   {"id": "orphan", "send": {"body": "never"}}
                 ]}""";
        assertThatThrownBy(() -> parse(broken)).isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.errors()).extracting(FieldError::field).contains("name", "category", "reentry", "sendWindow",
                        "steps[0].wait", "steps[0].send.body", "steps[0].goto", "steps[1].branches[0].match", "steps[1]", "steps[2]"));
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertThatThrownBy(() -> parse("""
                {"name": "n", "steps": [{"id": "a", "send": {"body": "Hi {{frstName}}"}, "goto": "zz"}]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::message)
                        .anySatisfy(m -> assertThat(m).contains("{{frstName}}").contains("not a variable"))
                        .anySatisfy(m -> assertThat(m).contains("'zz'").contains("does not exist")));
    }

    @Test
    void aReplyStepMustBranchOnTheReplyAndOthersCannot() {
        assertThatThrownBy(() -> parse("""
                {"name": "n", "steps": [{"id": "a", "waitForReply": {"timeout": "PT1H"}, "branches": [{"tag": "x", "goto": "a"}]}]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors())
                        .anySatisfy(err -> {
                            assertThat(err.field()).isEqualTo("steps[0].branches[0]");
                            assertThat(err.message()).contains("branches on the reply").contains("match");
                        }));
        assertThatThrownBy(() -> parse("""
                {"name": "n", "steps": [{"id": "a", "branches": [{"match": "yes", "goto": "a"}]}]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors())
                        .anySatisfy(err -> {
                            assertThat(err.field()).isEqualTo("steps[0].branches[0].match");
                            assertThat(err.message()).contains("only a step with waitForReply");
                        }));
    }

    @Test
    void aLoopOfStepsThatNeverWaitIsRefusedNamingItsSteps() {
        assertThatThrownBy(() -> parse("""
                {"name": "n", "steps": [
                  {"id": "start", "send": {"body": "Hi"}},
                  {"id": "a", "tag": ["x"], "goto": "b"},
                  {"id": "b", "branches": [{"event": "stop_looping", "goto": "end"}], "else": "a"},
                  {"id": "end", "exit": true}]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).singleElement().satisfies(err -> {
                    assertThat(err.field()).isEqualTo("steps[1]");
                    assertThat(err.message()).contains("a -> b -> a").contains("without a wait");
                }));
    }

    @Test
    void aLoopThatWaitsSomewhereIsAllowed() {
        CampaignDefinition waits = parse("""
                {"name": "n", "steps": [
                  {"id": "a", "tag": ["x"], "goto": "b"},
                  {"id": "b", "wait": "P1D", "branches": [{"event": "stop_looping", "goto": "end"}], "else": "a"},
                  {"id": "end", "exit": true}]}""");
        assertThat(waits.steps()).hasSize(3);
        CampaignDefinition asks = parse("""
                {"name": "n", "steps": [
                  {"id": "q", "send": {"body": "Rate us 1-5"}},
                  {"id": "r", "waitForReply": {"timeout": "P1D"}, "branches": [{"match": "^[1-5]$", "goto": "end"}], "onNoMatch": "q",
                   "onTimeout": "end"},
                  {"id": "end", "exit": true}]}""");
        assertThat(asks.steps()).hasSize(3);
    }

    @Test
    void templatesRenderFieldsEventPropertiesAttributesAndFallbacks() {
        Template t = new Template("{{brand}}: Hi {{firstName|there}}, {{attributes.tier|member}} {{event.cartUrl}}!");
        var contact = new dev.dripline.contacts.Contact("ct_1", "+12125550100", "US", "mobile", null, null, null, "America/New_York",
                java.util.List.of(), java.util.Map.of("tier", "gold"), java.util.List.of(), null, null, null);
        assertThat(t.render(contact, java.util.Map.of("cartUrl", "https://x.example/c"), "Acme"))
                .isEqualTo("Acme: Hi there, gold https://x.example/c!");
        assertThat(t.render(contact, java.util.Map.of(), "Acme")).isEqualTo("Acme: Hi there, gold!");
    }
}
