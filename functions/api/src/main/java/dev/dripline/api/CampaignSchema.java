package dev.dripline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The campaign definition's fields in the OpenAPI document. The controllers take the definition
 * as a JSON object that {@code CampaignDefinition.parse} reads (and names every problem of, 422),
 * so the annotation processor sees only "an object": this adds the fields clients build and
 * schemathesis fuzzes (the trigger with its key, keyed goals, a step's wait relative to a date),
 * leaving the object open to the rest of the format (README, "The drip engine").
 */
final class CampaignSchema {

    /** The request bodies that carry a campaign definition. */
    static final List<String> BODIES = List.of("CreateCampaignRequest", "UpdateCampaignRequest");

    private static final String SCHEMAS = """
            {
              "CampaignTrigger": {
                "type": "object", "additionalProperties": true,
                "description": "What enrols a contact: {event}, {event, key}, {segment}, {date: {attribute, at}} or {api: true}",
                "properties": {
                  "event": {"type": "string", "minLength": 1, "maxLength": 100, "description": "The event that enrols"},
                  "key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,100}$",
                          "description": "An event property naming one run per contact and value (an appointment id): the same value again moves that run's pending wait"},
                  "segment": {"type": "string"},
                  "api": {"type": "boolean"}
                }
              },
              "CampaignGoal": {
                "type": "object", "additionalProperties": false, "required": ["event"],
                "description": "A goal that ends only the run of a keyed trigger whose key the event's property names",
                "properties": {
                  "event": {"type": "string", "minLength": 1, "maxLength": 100},
                  "key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,100}$"}
                }
              },
              "RelativeWait": {
                "type": "object", "additionalProperties": false, "required": ["relativeTo"],
                "description": "Due at the date in the enrolling event's property or the contact's attribute, moved by offset, at a local time in the contact's zone",
                "properties": {
                  "relativeTo": {"type": "string", "pattern": "^(event|attributes)\\\\.[A-Za-z0-9_-]{1,100}$",
                                 "description": "event.<property> or attributes.<name>: an ISO-8601 date-time with Z or an offset, or a date (taken in the contact's zone)"},
                  "offset": {"type": "string", "description": "A signed ISO-8601 duration (-P1D: a day before; whole days are calendar days in the contact's zone)"},
                  "at": {"type": "string", "description": "HH:MM in the contact's zone on the day the offset lands on; absent: exactly the offset"},
                  "ifPast": {"type": "string", "enum": ["skip", "now"], "description": "A due time already past when the step is reached: skip the step (default) or act at once"}
                }
              },
              "WaitUntil": {
                "type": "object", "additionalProperties": true, "required": ["until"],
                "properties": {
                  "until": {"type": "string", "description": "HH:MM in the contact's zone, or an ISO-8601 date-time"},
                  "days": {"type": "array", "items": {"type": "string"}}
                }
              },
              "CampaignStep": {
                "type": "object", "additionalProperties": true, "required": ["id"],
                "properties": {
                  "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
                  "wait": {"anyOf": [{"type": "string", "description": "An ISO-8601 duration"},
                                     {"$ref": "#/components/schemas/RelativeWait"}, {"$ref": "#/components/schemas/WaitUntil"}]},
                  "waitForReply": {"$ref": "#/components/schemas/WaitForReply"},
                  "onInvalid": {"type": "string", "description": "The step a run goes to after too many invalid answers"},
                  "branches": {"type": "array", "description": "Tried in order; the README's campaign format lists every kind",
                               "items": {"anyOf": [{"$ref": "#/components/schemas/AttributeBranch"}, {"type": "object"}]}}
                }
              }
            }""";

    private static final String PROPERTIES = """
            {
              "name": {"type": "string", "minLength": 1, "maxLength": 200},
              "trigger": {"$ref": "#/components/schemas/CampaignTrigger"},
              "exitOn": {"type": "array", "description": "Goal events: a name ends every run of the contact; {event, key} only the keyed run it names",
                         "items": {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/components/schemas/CampaignGoal"}]}},
              "steps": {"type": "array", "minItems": 1, "maxItems": 100, "items": {"$ref": "#/components/schemas/CampaignStep"}}
            }""";

    private CampaignSchema() {
    }

    /** Adds the definition's component schemas, and its fields to each campaign request body. */
    static void describe(ObjectNode schemas) {
        ObjectNode added = (ObjectNode) Json.read(SCHEMAS, JsonNode.class);
        for (Iterator<Map.Entry<String, JsonNode>> s = added.fields(); s.hasNext(); ) {
            Map.Entry<String, JsonNode> schema = s.next();
            schemas.set(schema.getKey(), schema.getValue());
        }
        for (String body : BODIES) {
            if (schemas.get(body) instanceof ObjectNode request) {
                request.set("properties", Json.read(PROPERTIES, JsonNode.class));
                request.putArray("required").add("name").add("steps");
            }
        }
    }
}
