package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published OpenAPI document describes the survey fields of a campaign and the answers block of its stats. */
class SurveySchemasTest {

    private static JsonNode document() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(OpenApiDocument.yaml());
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theStatsAnswerBlockAndTheSurveyFieldsAreDescribed() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        JsonNode answers = schemas.path("GetCampaignStatsResponse").path("properties").path("answers");
        assertThat(answers.path("additionalProperties").path("$ref").asText()).isEqualTo("#/components/schemas/AnswerStats");
        assertThat(names(schemas.path("AnswerStats").path("properties"))).containsExactly("answered", "invalid", "gaveUp", "distribution", "nps");
        assertThat(names(schemas.path("NpsScore").path("properties"))).contains("score", "promoters", "passives", "detractors", "scored");
        assertThat(schemas.path("AnswerSave").path("properties").path("type").path("enum").toString())
                .isEqualTo("[\"integer\",\"number\",\"text\",\"yesno\",\"choice\"]");
        assertThat(names(schemas.path("InvalidAnswer").path("properties"))).containsExactly("reply", "retries");
        assertThat(names(schemas.path("WaitForReply").path("properties"))).containsExactly("timeout", "save", "invalid");
        assertThat(names(schemas.path("AttributeBranch").path("properties"))).contains("equals", "between", "in");
        assertThat(schemas.path("CreateCampaignRequest").path("description").asText()).contains("WaitForReply").contains("onInvalid");
    }
}
