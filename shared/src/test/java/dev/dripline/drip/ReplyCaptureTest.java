package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each answer type as it reads replies, and the definition's new fields as the parser checks them. */
class ReplyCaptureTest {

    private static CampaignDefinition parse(String json) {
        return CampaignDefinition.parse(Json.read(json, JsonNode.class));
    }

    /** A one-question campaign whose step saves with {@code save} (and {@code more} step fields). */
    private static ReplyCapture capture(String save) {
        return parse("""
                {"name": "q", "steps": [{"id": "ask", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "save": %s}},
                                        {"id": "end", "exit": true}]}""".formatted(save)).step("ask").capture().orElseThrow();
    }

    private static Optional<Object> read(ReplyCapture c, String reply) {
        return c.read(reply);
    }

    @Test
    void integersWithinTheirRangeIncludingFullWidthDigitsAndTrailingPunctuation() {
        ReplyCapture nps = capture("{\"attribute\": \"nps\", \"type\": \"integer\", \"min\": 0, \"max\": 10}");
        assertThat(nps.npsScale()).isTrue();
        assertThat(read(nps, "3")).contains(new BigDecimal("3"));
        assertThat(read(nps, " 10! ")).contains(new BigDecimal("10"));
        assertThat(read(nps, "１０")).as("full-width digits").contains(new BigDecimal("10"));
        assertThat(read(nps, "+0")).contains(new BigDecimal("0"));
        assertThat(read(nps, "7。")).contains(new BigDecimal("7"));
        for (String bad : List.of("abc", "11", "-1", "3.5", "3 or 4", "", "   ", "99999999999999999999999")) {
            assertThat(read(nps, bad)).as(bad).isEmpty();
        }
        assertThat(capture("{\"attribute\": \"n\", \"type\": \"integer\", \"min\": 1, \"max\": 10}").npsScale()).isFalse();
    }

    @Test
    void numbersWithDecimalsWithinTheirRange() {
        ReplyCapture weight = capture("{\"attribute\": \"kg\", \"type\": \"number\", \"min\": 0.5, \"max\": 300}");
        assertThat(read(weight, "72.50")).contains(new BigDecimal("72.5"));
        assertThat(read(weight, "300")).contains(new BigDecimal("300"));
        assertThat(read(weight, "８０．５")).as("full-width").contains(new BigDecimal("80.5"));
        assertThat(read(weight, "0.4")).isEmpty();
        assertThat(read(weight, "1e3")).isEmpty();
        assertThat(read(weight, "heavy")).isEmpty();
    }

    @Test
    void textUpToItsMaxLength() {
        ReplyCapture why = capture("{\"attribute\": \"why\", \"type\": \"text\", \"maxLength\": 10}");
        assertThat(read(why, "  Too slow  ")).contains("Too slow");
        assertThat(read(why, "Far too slow, really")).isEmpty();
        assertThat(read(why, "2026-02-30")).as("a date's shape that is no day is no attribute value").isEmpty();
        assertThat(capture("{\"attribute\": \"why\"}").type()).as("text by default").isEqualTo(AnswerType.TEXT);
    }

    @Test
    void yesNoInEnglishAndChineseAsBooleans() {
        ReplyCapture ok = capture("{\"attribute\": \"ok\", \"type\": \"yesno\"}");
        for (String yes : List.of("yes", "Y", "YES!", "yeah", "是", "是的", "对", "好的", "ｙｅｓ")) {
            assertThat(read(ok, yes)).as(yes).contains(Boolean.TRUE);
        }
        for (String no : List.of("no", "N", "Nope.", "否", "不", "不是", "不要", "没有")) {
            assertThat(read(ok, no)).as(no).contains(Boolean.FALSE);
        }
        assertThat(read(ok, "maybe")).isEmpty();
        assertThat(read(ok, "yes and no")).isEmpty();
    }

    @Test
    void choicesByTextInAnyCaseOrByTheirNumber() {
        ReplyCapture plan = capture("{\"attribute\": \"plan\", \"type\": \"choice\", \"choices\": [\"Basic\", \"Plus\", \"Pro\"]}");
        assertThat(read(plan, "plus")).contains("Plus");
        assertThat(read(plan, "PRO")).contains("Pro");
        assertThat(read(plan, "1")).contains("Basic");
        assertThat(read(plan, "３")).contains("Pro");
        assertThat(read(plan, "4")).isEmpty();
        assertThat(read(plan, "0")).isEmpty();
        assertThat(read(plan, "Premium")).isEmpty();
        ReplyCapture numbered = capture("{\"attribute\": \"n\", \"type\": \"choice\", \"choices\": [\"2\", \"1\"]}");
        assertThat(read(numbered, "1")).as("a choice's own text before its number").contains("1");
    }

    @Test
    void invalidAndOnInvalidAreRead() {
        CampaignDefinition d = parse("""
                {"name": "q", "steps": [{"id": "ask", "send": {"body": "?"},
                  "waitForReply": {"timeout": "P1D", "save": {"attribute": "nps", "type": "integer", "min": 0, "max": 10},
                                   "invalid": {"reply": "Please answer with a number from 0 to 10", "retries": 2}},
                  "onInvalid": "sorry", "branches": [{"attribute": "nps", "between": [0, 6], "goto": "sorry"}]},
                  {"id": "sorry", "send": {"body": "Sorry"}}]}""");
        ReplyCapture c = d.step("ask").capture().orElseThrow();
        assertThat(c.invalidReply()).isEqualTo("Please answer with a number from 0 to 10");
        assertThat(c.retries()).isEqualTo(2);
        assertThat(c.onInvalid()).isEqualTo("sorry");
        assertThat(d.step("ask").branches()).singleElement().isInstanceOfSatisfying(CampaignDefinition.Branch.Between.class, b -> {
            assertThat(b.holds(new BigDecimal("6"))).isTrue();
            assertThat(b.holds(0)).isTrue();
            assertThat(b.holds(new BigDecimal("7"))).isFalse();
            assertThat(b.holds("3")).as("a number kept as text").isTrue();
            assertThat(b.holds(null)).isFalse();
            assertThat(b.holds(true)).isFalse();
        });
    }

    @Test
    void inBranchesCompareLikeAttributes() {
        CampaignDefinition d = parse("""
                {"name": "q", "steps": [{"id": "a", "branches": [{"attribute": "plan", "in": ["Plus", "Pro", 3], "goto": "b"}]},
                  {"id": "b", "exit": true}]}""");
        CampaignDefinition.Branch.In in = (CampaignDefinition.Branch.In) d.step("a").branches().get(0);
        assertThat(in.holds("pro")).isTrue();
        assertThat(in.holds(new BigDecimal("3.0"))).isTrue();
        assertThat(in.holds("Basic")).isFalse();
        assertThat(in.holds(null)).isFalse();
    }

    @Test
    void everyProblemOfTheNewFieldsIsNamedAtOnce() {
        assertThatThrownBy(() -> parse("""
                {"name": "q", "steps": [
                  {"id": "a", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "when": 1,
                     "save": {"attribute": "bad name", "type": "integer", "min": 5, "max": 1, "maxLength": 3, "colour": "red"},
                     "invalid": {"retries": 9, "extra": true}},
                   "onInvalid": "nowhere"},
                  {"id": "b", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D",
                     "save": {"attribute": "c", "type": "choice", "choices": ["x", "X"]}},
                   "branches": [{"attribute": "c", "between": [3], "goto": "c"}, {"attribute": "c", "in": [], "goto": "c"},
                                {"attribute": "c", "equals": 1, "between": [1, 2], "goto": "c"}, {"tag": "t", "goto": "c"}]},
                  {"id": "c", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "save": {"attribute": "d", "type": "float", "choices": ["a"]},
                     "invalid": "again"}},
                  {"id": "d", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "invalid": {"reply": "again"}}, "onInvalid": "a",
                   "branches": [{"match": "x", "goto": "a"}]},
                  {"id": "e", "branches": [{"attribute": "n", "between": [9, 1], "goto": "a"}], "else": "a"}
                ]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field).contains(
                        "steps[0].waitForReply.when", "steps[0].waitForReply.save.attribute", "steps[0].waitForReply.save.min",
                        "steps[0].waitForReply.save.maxLength", "steps[0].waitForReply.save.colour", "steps[0].waitForReply.invalid.reply",
                        "steps[0].waitForReply.invalid.retries", "steps[0].waitForReply.invalid.extra", "steps[0].onInvalid",
                        "steps[1].waitForReply.save.choices[1]", "steps[1].branches[0].between", "steps[1].branches[1].in",
                        "steps[1].branches[2]", "steps[1].branches[3]",
                        "steps[2].waitForReply.save.type", "steps[2].waitForReply.save.choices", "steps[2].waitForReply.invalid",
                        "steps[3].waitForReply.invalid", "steps[3].onInvalid", "steps[4].branches[0].between"));
    }

    @Test
    void aStepThatSavesNeedsNoBranchesAndMayBranchOnAttributes() {
        CampaignDefinition d = parse("""
                {"name": "q", "steps": [
                  {"id": "a", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "save": {"attribute": "why"}}},
                  {"id": "b", "send": {"body": "?"}, "waitForReply": {"timeout": "P1D", "save": {"attribute": "ok", "type": "yesno"}},
                   "branches": [{"attribute": "ok", "equals": true, "goto": "c"}, {"match": "^later$", "goto": "c"}]},
                  {"id": "c", "exit": true}]}""");
        assertThat(d.step("a").branches()).isEmpty();
        assertThat(d.step("b").branches()).hasSize(2);
    }
}
