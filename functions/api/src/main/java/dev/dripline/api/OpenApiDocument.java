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
import dev.dripline.errors.ProblemType;

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
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "1" stays a string (info.version, status codes): unquoted, YAML readers take it for a number.
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    /** Schema names the rule of {@link #schemaName} would make unclear. */
    private static final Map<String, String> SCHEMA_NAMES = Map.of(
            "JourneyInbox.Recorded", "EventRecorded",
            "ContactInput.ConsentInput", "ConsentInput",
            "Verifications.Sent", "VerificationSent");
    private static final String PROBLEM_JSON = "application/problem+json";
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
        renameSchemas(root);
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
                // An error documented by its description alone (503 without a provider, a refused upload's 413/415): problem+json, like every error.
                List<String> bare = new java.util.ArrayList<>();
                responses.fields().forEachRemaining(r -> {
                    if (r.getKey().matches("[45]\\d\\d") && !r.getValue().has("content")) {
                        bare.add(r.getKey());
                    }
                });
                bare.forEach(code -> responses.set(code, problemResponse(responses.get(code).path("description").asText(), false)));
                nameInlineBodies(components.with("schemas"), operation);
                if (v1 && op.getKey().equals("post")) {
                    idempotency(operation);
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
        binaryUploads(root);
        SurveySchemas.describe(components.with("schemas"));
        anyJsonForMapValues(root);
        wireEnums(root);
        CampaignSchema.describe(components.with("schemas"));
    }

    /**
     * {@code POST /v1/media} takes any Content-Type (the route consumes all, so the processor lists
     * {@code *}{@code /*}): the document names the one binary type every generator can send
     * (application/octet-stream; openapi-python-client skips an operation with image/* bodies), the
     * description names the file types the route also takes as they are.
     */
    private static void binaryUploads(ObjectNode root) {
        JsonNode body = root.path("paths").path("/v1/media").path("post").path("requestBody");
        if (body instanceof ObjectNode requestBody && requestBody.get("content") instanceof ObjectNode content) {
            JsonNode binary = content.get(dev.dripline.media.MediaUploads.OCTET_STREAM);
            content.removeAll();
            content.set(dev.dripline.media.MediaUploads.OCTET_STREAM, binary != null ? binary
                    : YAML.createObjectNode().set("schema", YAML.createObjectNode().put("type", "string").put("format", "binary")));
        }
    }

    /**
     * Component names without the Java nesting: a controller's {@code MessagesController.MessageAccepted}
     * is {@code MessageAccepted}, a domain type's {@code Campaign.Status} is {@code CampaignStatus}
     * (generators turn dots into odd names or refuse them).
     */
    private static void renameSchemas(ObjectNode root) {
        ObjectNode schemas = root.with("components").with("schemas");
        Map<String, String> renamed = new java.util.LinkedHashMap<>();
        schemas.fieldNames().forEachRemaining(name -> renamed.put(name, schemaName(name)));
        ObjectNode replaced = YAML.createObjectNode();
        renamed.forEach((from, to) -> {
            if (replaced.has(to)) {
                throw new IllegalStateException("two schemas would be named " + to + ": give one a clearer name");
            }
            replaced.set(to, schemas.get(from));
        });
        schemas.removeAll();
        schemas.setAll(replaced);
        rewriteRefs(root, renamed);
    }

    static String schemaName(String javaName) {
        String fixed = SCHEMA_NAMES.get(javaName);
        if (fixed != null) {
            return fixed;
        }
        int dot = javaName.lastIndexOf('.');
        if (dot < 0) {
            return javaName;
        }
        String outer = javaName.substring(0, dot);
        return outer.endsWith("Controller") ? javaName.substring(dot + 1) : javaName.replace(".", "");
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renamed) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith("#/components/schemas/")) {
                String name = ref.asText().substring("#/components/schemas/".length());
                object.put("$ref", "#/components/schemas/" + renamed.getOrDefault(name, name));
            }
            iterable(object).forEach(child -> rewriteRefs(child, renamed));
        } else if (node.isArray()) {
            node.forEach(child -> rewriteRefs(child, renamed));
        }
    }

    /**
     * A named schema for every JSON body: an inline object (a route that takes or answers a map)
     * becomes {@code <OperationId>Request} or {@code <OperationId>Response}, so that generated
     * clients get a type with a name instead of an anonymous one.
     */
    private static void nameInlineBodies(ObjectNode schemas, ObjectNode operation) {
        String id = operation.path("operationId").asText();
        if (id.isEmpty()) {
            return;
        }
        String base = Character.toUpperCase(id.charAt(0)) + id.substring(1);
        nameInline(schemas, operation.path("requestBody").path("content"), base + "Request");
        for (Iterator<Map.Entry<String, JsonNode>> r = operation.path("responses").fields(); r.hasNext(); ) {
            Map.Entry<String, JsonNode> response = r.next();
            if (response.getKey().startsWith("2")) {
                nameInline(schemas, response.getValue().path("content"), base + "Response");
            }
        }
    }

    private static void nameInline(ObjectNode schemas, JsonNode content, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> m = content.fields(); m.hasNext(); ) {
            Map.Entry<String, JsonNode> media = m.next();
            JsonNode schema = media.getValue().path("schema");
            if (media.getKey().endsWith("json") && schema.isObject() && !schema.has("$ref") && "object".equals(schema.path("type").asText())) {
                schemas.set(name, schema.deepCopy());
                ((ObjectNode) media.getValue()).set("schema", YAML.createObjectNode().put("$ref", "#/components/schemas/" + name));
            }
        }
    }

    /** Every POST takes an Idempotency-Key, and says when its answer is a replay. */
    private static void idempotency(ObjectNode operation) {
        ArrayNode parameters = operation.withArray("parameters");
        boolean declared = false;
        for (JsonNode p : parameters) {
            declared |= "header".equals(p.path("in").asText()) && "Idempotency-Key".equalsIgnoreCase(p.path("name").asText());
        }
        if (!declared) {
            ObjectNode p = parameters.addObject().put("name", "Idempotency-Key").put("in", "header").put("required", false);
            p.with("schema").put("type", "string").put("minLength", 1).put("maxLength", 255);
        }
        for (JsonNode p : parameters) {
            if ("Idempotency-Key".equalsIgnoreCase(p.path("name").asText())) {
                ((ObjectNode) p).put("description", "Makes a retry safe: the same key and body within 24 hours get the first answer again "
                        + "(with Idempotent-Replayed: true); the same key with another body is 422 idempotency-key-reused");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> r = operation.with("responses").fields(); r.hasNext(); ) {
            Map.Entry<String, JsonNode> response = r.next();
            if (response.getKey().startsWith("2")) {
                ((ObjectNode) response.getValue()).with("headers").set("Idempotent-Replayed", YAML.createObjectNode()
                        .put("description", "true when this is the stored answer to an earlier request with the same Idempotency-Key")
                        .set("schema", YAML.createObjectNode().put("type", "string").set("enum", YAML.createArrayNode().add("true"))));
            }
        }
    }

    /**
     * Enum values as they are on the wire: Dripline writes every enum in lower case
     * ({@code opted_in}), while the processor lists the Java constants ({@code OPTED_IN}).
     */
    private static void wireEnums(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode values = object.get("enum");
            if (values != null && values.isArray() && "string".equals(object.path("type").asText())) {
                ArrayNode wire = YAML.createArrayNode();
                values.forEach(v -> wire.add(v.asText().matches("[A-Z][A-Z0-9_]*") ? v.asText().toLowerCase(java.util.Locale.ROOT) : v.asText()));
                object.set("enum", wire);
                object.remove("x-type");
            }
            iterable(object).forEach(OpenApiDocument::wireEnums);
        } else if (node.isArray()) {
            node.forEach(OpenApiDocument::wireEnums);
        }
    }

    private static ObjectNode problemResponse(String description, boolean retryAfter) {
        ObjectNode response = YAML.createObjectNode().put("description", description);
        if (retryAfter) {
            response.with("headers").set("Retry-After", YAML.createObjectNode().put("$ref", "#/components/headers/Retry-After"));
        }
        // Both types: a client generated from the document then sends an Accept that admits either.
        response.with("content").with(PROBLEM_JSON).with("schema").put("$ref", "#/components/schemas/Problem");
        response.with("content").with("application/json").with("schema").put("$ref", "#/components/schemas/Problem");
        return response;
    }

    /** RFC 9457 as Dripline writes it, with every problem type's code. */
    private static ObjectNode problemSchema() {
        ObjectNode s = YAML.createObjectNode().put("type", "object");
        StringBuilder types = new StringBuilder("RFC 9457 problem details. `type` is " + ProblemType.BASE + "<code>; the codes:");
        for (ProblemType t : ProblemType.values()) {
            types.append("\n- `").append(t.code()).append("` (").append(t.status()).append("): ").append(t.description());
        }
        s.put("description", types.toString());
        s.putArray("required").add("type").add("code").add("title").add("status");
        ObjectNode props = s.with("properties");
        props.with("type").put("type", "string").put("format", "uri").put("example", ProblemType.RECIPIENT_OPTED_OUT.uri());
        ArrayNode codes = props.with("code").put("type", "string")
                .put("description", "What went wrong, for programs: the last segment of type").putArray("enum");
        for (ProblemType t : ProblemType.values()) {
            codes.add(t.code());
        }
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
