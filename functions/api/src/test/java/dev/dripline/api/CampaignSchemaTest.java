package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published document describes the campaign fields of reminders: a keyed trigger, keyed goals, a wait relative to a date. */
class CampaignSchemaTest {

    static JsonNode document() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(OpenApiDocument.yaml());
    }

    static List<String> names(JsonNode properties) {
        List<String> out = new ArrayList<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void theCampaignBodiesDescribeKeyedTriggersGoalsAndRelativeWaits() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        for (String body : CampaignSchema.BODIES) {
            JsonNode request = schemas.path(body);
            assertThat(names(request.path("properties"))).as(body).contains("name", "trigger", "exitOn", "steps");
            assertThat(request.path("properties").path("trigger").path("$ref").asText()).isEqualTo("#/components/schemas/CampaignTrigger");
        }
        assertThat(names(schemas.path("CampaignTrigger").path("properties"))).contains("event", "key");
        assertThat(names(schemas.path("CampaignGoal").path("properties"))).containsExactly("event", "key");
        JsonNode relative = schemas.path("RelativeWait");
        assertThat(names(relative.path("properties"))).containsExactly("relativeTo", "offset", "at", "ifPast");
        assertThat(relative.path("properties").path("ifPast").path("enum").toString()).isEqualTo("[\"skip\",\"now\"]");
        assertThat("event.appointmentAt").matches(relative.path("properties").path("relativeTo").path("pattern").asText());
        assertThat("attributes.renewalDate").matches(relative.path("properties").path("relativeTo").path("pattern").asText());
        assertThat("appointmentAt").doesNotMatch(relative.path("properties").path("relativeTo").path("pattern").asText());
        assertThat(schemas.path("CampaignStep").path("properties").path("wait").path("anyOf").toString()).contains("RelativeWait");
    }

    @Test
    void theEnrolmentOfAKeyedRunIsReadByItsKey() throws Exception {
        JsonNode parameters = document().path("paths").path("/v1/campaigns/{id}/enrolments/{contactId}").path("get").path("parameters");
        assertThat(parameters.findValuesAsText("name")).contains("key");
    }

    @Test
    void everyComponentSchemaIsReferencedSoGeneratorsFindNoUnusedModel() throws Exception {
        // openapi-generator's validate reports an unreferenced schema ("Unused model"), which the CI's generated-client check refuses.
        JsonNode document = document();
        String text = document.toString();
        List<String> unused = new ArrayList<>();
        document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            if (!text.contains("\"#/components/schemas/" + name + "\"")) {
                unused.add(name);
            }
        });
        assertThat(unused).isEmpty();
        assertThat(document.path("components").path("schemas").path("CampaignStep").path("properties").path("waitForReply")
                .path("$ref").asText()).isEqualTo("#/components/schemas/WaitForReply");
    }
}
