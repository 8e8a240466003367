package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The upload's body is one every client generator sends: openapi-python-client left POST /v1/media out when it listed image/* types. */
class MediaSchemaTest {

    @Test
    void theUploadBodyIsABinaryOctetStream() throws Exception {
        JsonNode content = CampaignSchemaTest.document().path("paths").path("/v1/media").path("post").path("requestBody").path("content");
        assertThat(CampaignSchemaTest.names(content)).containsExactly("application/octet-stream");
        assertThat(content.path("application/octet-stream").path("schema").path("format").asText()).isEqualTo("binary");
    }
}
