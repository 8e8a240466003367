package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.json.Json;

/** Plain Java values (String, Number, Boolean, List, Map) from JSON, as attributes hold them. */
final class Jsons {

    private Jsons() {
    }

    static Object plain(JsonNode n) {
        return n == null || n.isNull() ? null : Json.mapper().convertValue(n, Object.class);
    }
}
