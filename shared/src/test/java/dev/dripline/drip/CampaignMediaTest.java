package dev.dripline.drip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.json.Json;
import dev.dripline.media.MediaInput;
import org.junit.jupiter.api.Test;

/** A step's send and each variant's send take media ({url} or {id}) and a mediaFallback, checked for shape when the campaign is made. */
class CampaignMediaTest {

    private static CampaignDefinition parse(String json) {
        return CampaignDefinition.parse(Json.read(json, JsonNode.class));
    }

    @Test
    void aSendCarriesItsMediaAndFallback() {
        CampaignDefinition d = parse("""
                {"name": "Pictures", "trigger": {"event": "ordered"}, "steps": [
                  {"id": "show", "send": {"body": "Look", "media": [{"id": "med_01ABC"}, {"url": "https://cdn.example/a.png"}],
                   "mediaFallback": "fail"}},
                  {"id": "ab", "variants": [{"id": "A", "send": {"body": "A", "media": [{"id": "med_02"}]}}, {"id": "B", "send": {"body": "B"}}]}]}""");

        CampaignDefinition.Variant show = d.steps().get(0).variants().get(0);
        assertThat(show.media()).containsExactly(new MediaInput(null, "med_01ABC"), new MediaInput("https://cdn.example/a.png", null));
        assertThat(show.mediaFallback()).isEqualTo("fail");
        assertThat(d.steps().get(1).variants().get(0).media()).containsExactly(new MediaInput(null, "med_02"));
        assertThat(d.steps().get(1).variants().get(1).media()).isEmpty();
    }

    @Test
    void wrongMediaIsNamed() {
        assertThatThrownBy(() -> parse("""
                {"name": "Pictures", "trigger": {"event": "ordered"}, "steps": [
                  {"id": "show", "send": {"body": "Look", "media": [{"url": "http://plain.example/a.png"}, {"id": "../etc"}, {}],
                   "mediaFallback": "drop"}}]}"""))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .contains("steps[0].send.media[0]", "steps[0].send.media[1]", "steps[0].send.media[2]", "steps[0].send.mediaFallback"));
    }
}
