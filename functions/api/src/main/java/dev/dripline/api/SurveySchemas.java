package dev.dripline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the OpenAPI document says about surveys (the README's "Surveys" section): the schemas of
 * {@code waitForReply.save}, {@code waitForReply.invalid} and the attribute branches, named in the
 * campaign bodies' descriptions (the definition itself stays any JSON: the parser names every
 * problem), and the {@code answers} block of a campaign's stats.
 */
final class SurveySchemas {

    private static final ObjectMapper JSON = dev.dripline.json.Json.mapper();

    private SurveySchemas() {
    }

    static void describe(ObjectNode schemas) {
        schemas.set("AnswerSave", object("waitForReply.save: the reply's answer is saved as this contact attribute",
                """
                {"attribute": {"type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"},
                 "type": {"type": "string", "enum": ["integer", "number", "text", "yesno", "choice"], "default": "text",
                          "description": "yesno takes yes/y/no/n and Chinese answers (是/否/对/不...), saved as true/false; choice takes a choice in any case or its 1-based number"},
                 "min": {"type": "number", "description": "integer and number: the smallest valid answer"},
                 "max": {"type": "number", "description": "integer and number: the largest valid answer"},
                 "maxLength": {"type": "integer", "minimum": 1, "maximum": 1024, "description": "text only"},
                 "choices": {"type": "array", "minItems": 2, "maxItems": 20, "items": {"type": "string", "minLength": 1, "maxLength": 100},
                             "description": "choice only"}}""", "attribute"));
        schemas.set("InvalidAnswer", object("waitForReply.invalid: how an invalid answer is asked again; after retries the run goes to"
                + " the step's onInvalid, else on as on a timeout",
                """
                {"reply": {"type": "string", "minLength": 1, "maxLength": 480},
                 "retries": {"type": "integer", "minimum": 0, "maximum": 5, "default": 1}}""", "reply"));
        schemas.set("WaitForReply", object("A step's waitForReply: how long it waits, and what it does with the answer",
                """
                {"timeout": {"type": "string", "description": "ISO-8601 duration", "default": "P1D"},
                 "save": {"$ref": "#/components/schemas/AnswerSave"},
                 "invalid": {"$ref": "#/components/schemas/InvalidAnswer"}}"""));
        schemas.set("AttributeBranch", object("A branch on a contact attribute (after a saved answer: with it): one of equals, between, in",
                """
                {"attribute": {"type": "string"},
                 "equals": {"description": "a text (any case), number or true/false"},
                 "between": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "number"},
                             "description": "[low, high], both included"},
                 "in": {"type": "array", "minItems": 1, "maxItems": 100, "items": {}},
                 "goto": {"type": "string"}}""", "attribute", "goto"));
        schemas.set("NpsScore", object("Net Promoter Score of answers saved on a 0-10 integer scale",
                """
                {"score": {"type": "number", "nullable": true, "description": "(promoters - detractors) / scored x 100, one decimal"},
                 "promoters": {"type": "integer", "description": "answers 9-10"},
                 "passives": {"type": "integer", "description": "answers 7-8"},
                 "detractors": {"type": "integer", "description": "answers 0-6"},
                 "scored": {"type": "integer"}}""", "score", "promoters", "passives", "detractors", "scored"));
        schemas.set("AnswerStats", object("The answers saved as one attribute by a campaign's steps",
                """
                {"answered": {"type": "integer"},
                 "invalid": {"type": "integer", "description": "replies that were no valid answer"},
                 "gaveUp": {"type": "integer", "description": "runs that went on after too many invalid answers"},
                 "distribution": {"type": "object", "additionalProperties": {"type": "integer"},
                                  "description": "answer -> count, numbers in numeric order; text answers are counted, not listed"},
                 "nps": {"$ref": "#/components/schemas/NpsScore"}}""", "answered", "invalid", "gaveUp", "distribution"));
        ObjectNode stats = (ObjectNode) schemas.get("GetCampaignStatsResponse");
        if (stats != null) {
            stats.with("properties").set("answers", JSON.createObjectNode().put("type", "object")
                    .put("description", "Per attribute saved by waitForReply.save: its answers")
                    .set("additionalProperties", JSON.createObjectNode().put("$ref", "#/components/schemas/AnswerStats")));
        }
        for (String body : new String[] {"CreateCampaignRequest", "UpdateCampaignRequest"}) {
            ObjectNode definition = (ObjectNode) schemas.get(body);
            if (definition != null) {
                definition.put("description", "A campaign definition (README: the campaign format). A step's waitForReply is a"
                        + " WaitForReply (save: AnswerSave, invalid: InvalidAnswer) with the step's onInvalid (a step id); branches on"
                        + " attributes are AttributeBranch ({attribute, equals | between | in, goto}). Every problem is named at once"
                        + " in a 422.");
            }
        }
    }

    private static ObjectNode object(String description, String properties, String... required) {
        ObjectNode s = JSON.createObjectNode().put("type", "object").put("description", description);
        try {
            s.set("properties", JSON.readTree(properties));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (required.length > 0) {
            var r = s.putArray("required");
            for (String f : required) {
                r.add(f);
            }
        }
        return s;
    }
}
