package dev.dripline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated document ({@code META-INF/swagger/dripline-1.yml}) with what the annotation
 * processor cannot see, added by rule to every operation: on {@code /v1}, the bearer key and the
 * answers the filters and the one error handler give any route (400 malformed JSON, 401, 403
 * scope, 404, 409, 413 body too large, 415, 422 invalid input, 429 with Retry-After), all
 * problem+json; elsewhere 404. {@code Map<String, Object>} values become "any JSON" (the
 * processor would say "object", which a list or a string in such a map is not).
 */
final class OpenApiDocument {

    static final String GENERATED = "META-INF/swagger/dripline-1.yml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Map<String, String> V1_ERRORS = Map.of(
            "400", "The body is not valid JSON, or a parameter is malformed",
            "401", "No API key, or not a valid one",
            "403", "The API key lacks the scope this route needs",
            "404", "No such resource",
            "409", "Well formed, but not allowed in the current state",
            "413", "The body is larger than this route takes",
            "415", "The body's content type is not one this route takes",
            "422", "Invalid input; every offending field is named in errors",
            "429", "Too many requests for this key (or this number); retry after Retry-After seconds");

    private static volatile String cached;

    private OpenApiDocument() {
    }

    static String yaml() {
        String doc = cached;
        if (doc == null) {
            try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(GENERATED)) {
                if (in == null) {
                    throw new IllegalStateException(GENERATED + " is missing: the build runs micronaut-openapi");
                }
                ObjectNode root = (ObjectNode) YAML.readTree(in);
                complete(root);
                doc = YAML.writeValueAsString(root);
                cached = doc;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return doc;
    }

    static void complete(ObjectNode root) {
        ObjectNode components = root.with("components");
        components.with("schemas").set("Problem", problemSchema());
        components.with("securitySchemes").set("bearer", YAML.createObjectNode().put("type", "http").put("scheme", "bearer")
                .put("description", "An API key: the configured DRIPLINE_API_KEY, or one made with POST /v1/api-keys"));
        components.with("headers").set("Retry-After", YAML.createObjectNode().put("description", "Seconds to wait")
                .set("schema", YAML.createObjectNode().put("type", "integer").put("minimum", 1)));
        JsonNode paths = root.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            boolean v1 = path.getKey().startsWith("/v1/");
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> op = o.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                ObjectNode operation = (ObjectNode) op.getValue();
                ObjectNode responses = operation.with("responses");
                JsonNode unavailable = responses.get("503");
                if (unavailable != null && !unavailable.has("content")) {
                    // Sends on a deployment without a provider: problem+json, like every error.
                    responses.set("503", problemResponse(unavailable.path("description").asText(), false));
                }
                if (v1) {
                    ArrayNode security = YAML.createArrayNode();
                    security.addObject().putArray("bearer");
                    operation.set("security", security);
                    V1_ERRORS.forEach((code, why) -> {
                        if (!responses.has(code)) {
                            responses.set(code, problemResponse(why, code.equals("429")));
                        }
                    });
                } else if (!responses.has("404")) {
                    responses.set("404", problemResponse("No such resource", false));
                }
            }
        }
        anyJsonForMapValues(root);
    }

    private static ObjectNode problemResponse(String description, boolean retryAfter) {
        ObjectNode response = YAML.createObjectNode().put("description", description);
        if (retryAfter) {
            response.with("headers").set("Retry-After", YAML.createObjectNode().put("$ref", "#/components/headers/Retry-After"));
        }
        response.with("content").with("application/problem+json").with("schema").put("$ref", "#/components/schemas/Problem");
        return response;
    }

    /** RFC 9457 as Dripline writes it. */
    private static ObjectNode problemSchema() {
        ObjectNode s = YAML.createObjectNode().put("type", "object");
        s.putArray("required").add("type").add("title").add("status");
        ObjectNode props = s.with("properties");
        props.with("type").put("type", "string");
        props.with("title").put("type", "string");
        props.with("status").put("type", "integer").put("minimum", 400).put("maximum", 599);
        props.with("detail").put("type", "string");
        ObjectNode field = props.with("errors").put("type", "array").with("items").put("type", "object");
        field.putArray("required").add("field").add("message");
        field.with("properties").with("field").put("type", "string");
        field.with("properties").with("message").put("type", "string");
        return s;
    }

    private static void anyJsonForMapValues(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode extra = object.get("additionalProperties");
            if (extra != null && extra.isObject() && extra.size() == 1 && "object".equals(extra.path("type").asText())) {
                object.set("additionalProperties", YAML.createObjectNode());
            }
            for (JsonNode child : List.copyOf(iterable(object))) {
                anyJsonForMapValues(child);
            }
        } else if (node.isArray()) {
            node.forEach(OpenApiDocument::anyJsonForMapValues);
        }
    }

    private static List<JsonNode> iterable(ObjectNode node) {
        List<JsonNode> out = new java.util.ArrayList<>();
        node.elements().forEachRemaining(out::add);
        return out;
    }
}
