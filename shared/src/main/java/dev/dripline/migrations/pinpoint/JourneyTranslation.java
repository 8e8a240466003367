// Over 400 lines: one translation per Pinpoint journey activity and setting, each reporting what it cannot carry, kept together as the one mapping a reviewer checks against the Pinpoint model.
package dev.dripline.migrations.pinpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dripline.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Pinpoint journey ({@code GetJourney}'s JourneyResponse) as a Dripline campaign definition.
 * Each activity becomes one step with the activity's id, in the order they are reached from
 * {@code StartActivity}; every step names where it goes, so the order only fixes the first:
 * <ul>
 * <li>{@code Wait} WaitFor → a step with that wait; WaitUntil (a date-time) → {@code wait: {"until": <instant>}};</li>
 * <li>{@code ConditionalSplit} → a step with branches to TrueActivity, else FalseActivity (ALL of
 * several conditions: a chain of steps, one per condition); EvaluationWaitTime → the step's wait;</li>
 * <li>{@code MultiCondition} → branches in order, else DefaultActivity;</li>
 * <li>{@code RandomSplit} → a {@code split} step; {@code Holdout} → a {@code holdout} step;</li>
 * <li>{@code SMS} → a send of its template's body (from a GetSmsTemplate file), variables renamed;</li>
 * <li>{@code CUSTOM} → a webhook step (event {@code pinpoint.custom.<activity>});</li>
 * <li>{@code EMAIL}, {@code PUSH}, {@code ContactCenter} and anything else → a step that only goes
 * on (bridged), reported.</li>
 * </ul>
 * Conditions: an attribute or user attribute INCLUSIVE test → a tag branch per value (the tags
 * {@link Endpoints} writes); a metric EQUAL → an attribute branch; an event condition on an event
 * type → an event branch. Anything else is reported and never holds (the split takes its false
 * or default path). QuietTime → the send window; OpenHours (the same hours on each day they
 * name) → the send window's hours and days; Limits → reentry and cap policy, the rest reported.
 */
public final class JourneyTranslation {

    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

    private final List<String> report = new ArrayList<>();
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final ObjectNode campaign = Json.mapper().createObjectNode();
    private final Map<String, JsonNode> templates;
    private final Map<String, String> segmentIds;
    private boolean transactional;
    private boolean promotional;

    /**
     * @param templates  SMS templates by name (SMSTemplateResponse objects)
     * @param segmentIds Pinpoint segment ids to the Dripline segments made from them
     */
    public JourneyTranslation(JsonNode journey, Map<String, JsonNode> templates, Map<String, String> segmentIds) {
        this.templates = templates;
        this.segmentIds = segmentIds;
        String name = journey.path("Name").asText("Pinpoint journey " + journey.path("Id").asText());
        campaign.put("name", name.length() > 200 ? name.substring(0, 200) : name);
        campaign.put("description", "Imported from Pinpoint journey " + journey.path("Id").asText("?"));
        trigger(journey.path("StartCondition"));
        window(journey);
        limits(journey.path("Limits"));
        schedule(journey);
        steps(journey);
        campaign.put("category", transactional && !promotional ? "transactional" : "marketing");
        if (transactional && promotional) {
            report.add("SMS activities mix TRANSACTIONAL and PROMOTIONAL message types: the campaign is marketing (quiet hours, "
                    + "opt-out text); split it if the transactional messages must ignore quiet hours");
        }
    }

    /** The campaign definition (POST /v1/campaigns' body). */
    public ObjectNode campaign() {
        return campaign;
    }

    /** What was changed, bridged or left out, one line each. */
    public List<String> report() {
        return List.copyOf(report);
    }

    private void trigger(JsonNode start) {
        JsonNode event = start.path("EventStartCondition");
        JsonNode types = event.path("EventFilter").path("Dimensions").path("EventType").path("Values");
        if (types.isArray() && !types.isEmpty()) {
            campaign.putObject("trigger").put("event", types.get(0).asText());
            if (types.size() > 1) {
                report.add("StartCondition: event types " + types + ": the campaign starts on the first, '" + types.get(0).asText()
                        + "'; make one campaign per other event type");
            }
            if (event.path("EventFilter").path("Dimensions").has("Attributes")
                    || event.path("EventFilter").path("Dimensions").has("Metrics")) {
                report.add("StartCondition: the event filter's attribute and metric tests are not applied (Dripline triggers on the name)");
            }
            return;
        }
        String segment = start.path("SegmentStartCondition").path("SegmentId").asText(event.path("SegmentId").asText(null));
        if (segment != null) {
            String mapped = segmentIds.get(segment);
            campaign.putObject("trigger").put("segment", mapped != null ? mapped : segment);
            report.add("StartCondition: segment " + segment + (mapped != null ? " → " + mapped : " (not among the imported segments: "
                    + "create it and replace the id)") + "; Dripline enrols contacts as they come to match it, Pinpoint enrolled the "
                    + "segment's members when the journey started: enrol the current members with POST /v1/campaigns/{id}/enrolments");
            return;
        }
        campaign.putObject("trigger").put("api", true);
        report.add("StartCondition: none found; contacts are enrolled by API");
    }

    private void window(JsonNode journey) {
        JsonNode quiet = journey.path("QuietTime");
        LocalTime start = null;
        LocalTime end = null;
        if (quiet.has("Start") && quiet.has("End")) {
            try {
                LocalTime qs = LocalTime.parse(quiet.get("Start").asText());
                LocalTime qe = LocalTime.parse(quiet.get("End").asText());
                if (qe.isBefore(qs)) {
                    start = qe;
                    end = qs;
                } else {
                    report.add("QuietTime " + qs + "-" + qe + " lies inside one day: a send window is one opening per day; "
                            + "it is left out (the quiet hours of the law still apply)");
                }
            } catch (DateTimeParseException e) {
                report.add("QuietTime " + quiet + ": not HH:MM times; left out");
            }
        }
        List<String> days = new ArrayList<>();
        JsonNode open = journey.path("OpenHours").path("SMS");
        if (open.isObject() && !open.isEmpty()) {
            Set<String> hours = new LinkedHashSet<>();
            open.fields().forEachRemaining(d -> {
                d.getValue().forEach(r -> hours.add(r.path("StartTime").asText() + "-" + r.path("EndTime").asText()));
                if (d.getValue().size() != 1) {
                    hours.add("several");
                }
                days.add(d.getKey().substring(0, Math.min(3, d.getKey().length())).toUpperCase(Locale.ROOT));
            });
            if (hours.size() == 1 && !hours.contains("several")) {
                String[] h = hours.iterator().next().split("-");
                LocalTime os = LocalTime.parse(h[0]);
                LocalTime oe = LocalTime.parse(h[1]);
                start = start == null || os.isAfter(start) ? os : start;
                end = end == null || oe.isBefore(end) ? oe : end;
            } else {
                report.add("OpenHours.SMS differ by day " + hours + ": one window of the same hours each day is all Dripline has; left out");
                days.clear();
            }
        }
        if (journey.has("ClosedDays")) {
            report.add("ClosedDays (dates with no sending) are not expressible; left out");
        }
        if (start != null && end != null && start.isBefore(end)) {
            ObjectNode w = campaign.putObject("sendWindow");
            w.put("start", start.toString());
            w.put("end", end.toString());
            if (!days.isEmpty()) {
                ArrayNode d = w.putArray("days");
                days.forEach(d::add);
            }
        }
        if (journey.has("LocalTime") && !journey.path("LocalTime").asBoolean()) {
            report.add("LocalTime false: Pinpoint used the journey's time zone for waits and quiet time; Dripline always uses the "
                    + "contact's own zone");
        }
    }

    private void limits(JsonNode limits) {
        int reentryCap = limits.path("EndpointReentryCap").asInt(0);
        String interval = limits.path("EndpointReentryInterval").asText(null);
        if (reentryCap == 1 || !limits.has("EndpointReentryCap") && interval == null) {
            campaign.put("reentry", "once");
        } else if (interval != null) {
            campaign.putObject("reentry").put("after", interval);
            if (reentryCap > 1) {
                report.add("Limits.EndpointReentryCap " + reentryCap + ": Dripline re-enters after the interval without a count");
            }
        } else {
            campaign.put("reentry", "always");
            if (reentryCap > 1) {
                report.add("Limits.EndpointReentryCap " + reentryCap + ": Dripline re-enters without a count");
            }
        }
        if (limits.has("DailyCap")) {
            campaign.put("frequencyCap", "skip");
            report.add("Limits.DailyCap " + limits.get("DailyCap").asInt() + ": Dripline's cap is per contact and day across all "
                    + "campaigns (DRIPLINE_DAILY_CAP); over it, this campaign skips the message as Pinpoint did");
        }
        for (String other : List.of("TotalCap", "MessagesPerSecond", "TimeframeCap")) {
            if (limits.has(other)) {
                report.add("Limits." + other + " " + limits.get(other) + ": not per campaign in Dripline (sending rate is the "
                        + "provider's, set per sender); left out");
            }
        }
    }

    private void schedule(JsonNode journey) {
        JsonNode s = journey.path("Schedule");
        if (s.has("StartTime") || s.has("EndTime")) {
            report.add("Schedule " + s.path("StartTime").asText("-") + " to " + s.path("EndTime").asText("-")
                    + ": activate the campaign at the start and pause it at the end (Dripline campaigns have no dates)");
        }
        if (journey.path("WaitForQuietTime").asBoolean(false)) {
            report.add("WaitForQuietTime: Dripline always defers a step due in quiet hours to the next opening");
        }
    }

    private String id(String activity) {
        return ids.computeIfAbsent(activity, a -> {
            String id = STEP_ID.matcher(a).matches() ? a : a.replaceAll("[^A-Za-z0-9_-]", "_");
            id = id.isEmpty() ? "step" : id.length() > 60 ? id.substring(0, 60) : id;
            String unique = id;
            for (int n = 2; ids.containsValue(unique); n++) {
                unique = id + "-" + n;
            }
            return unique;
        });
    }

    private void steps(JsonNode journey) {
        JsonNode activities = journey.path("Activities");
        String first = journey.path("StartActivity").asText(null);
        ArrayNode steps = campaign.putArray("steps");
        if (first == null || !activities.has(first)) {
            report.add("StartActivity " + first + " is not among the activities: the journey has no steps");
            return;
        }
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(first));
        Set<String> seen = new LinkedHashSet<>();
        List<ObjectNode> extra = new ArrayList<>();
        while (!todo.isEmpty()) {
            String a = todo.poll();
            if (!seen.add(a)) {
                continue;
            }
            JsonNode act = activities.path(a);
            if (act.isMissingNode()) {
                report.add("activity " + a + " is named as a next activity but does not exist: the path ends there");
                continue;
            }
            ObjectNode step = steps.addObject();
            step.put("id", id(a));
            List<String> nexts = activity(a, act, step, extra);
            nexts.stream().filter(n -> n != null && activities.has(n)).forEach(todo::add);
        }
        extra.forEach(steps::add);
        activities.fieldNames().forEachRemaining(a -> {
            if (!seen.contains(a)) {
                report.add("activity " + a + " is not reached from StartActivity (or only through a condition Dripline cannot test); left out");
            }
        });
    }

    /** Fills the step for one activity; answers the activities it leads to. */
    private List<String> activity(String a, JsonNode act, ObjectNode step, List<ObjectNode> extra) {
        if (act.has("Wait")) {
            JsonNode w = act.get("Wait").path("WaitTime");
            wait(a, w, step);
            return goOn(step, act.get("Wait").path("NextActivity").asText(null));
        }
        if (act.has("SMS")) {
            JsonNode sms = act.get("SMS");
            String type = sms.path("MessageConfig").path("MessageType").asText("PROMOTIONAL");
            transactional |= type.equals("TRANSACTIONAL");
            promotional |= !type.equals("TRANSACTIONAL");
            String template = sms.path("TemplateName").asText(null);
            JsonNode t = template == null ? null : templates.get(template);
            if (t == null) {
                report.add("SMS activity " + a + ": template " + template + " not among the files (export it with get-sms-template); "
                        + "the step sends nothing");
            } else {
                step.putObject("send").put("body", body(t, a));
            }
            if (sms.path("MessageConfig").has("OriginationNumber")) {
                report.add("SMS activity " + a + ": OriginationNumber " + sms.path("MessageConfig").path("OriginationNumber").asText()
                        + " is not kept: Dripline picks the sender (configure it as a sender number)");
            }
            return goOn(step, sms.path("NextActivity").asText(null));
        }
        if (act.has("Holdout")) {
            step.putObject("holdout").put("percent", Math.max(1, Math.min(99, act.get("Holdout").path("Percentage").asInt())));
            return goOn(step, act.get("Holdout").path("NextActivity").asText(null));
        }
        if (act.has("RandomSplit")) {
            ArrayNode split = step.putArray("split");
            List<String> nexts = new ArrayList<>();
            for (JsonNode b : act.get("RandomSplit").path("Branches")) {
                String n = b.path("NextActivity").asText(null);
                if (n == null) {
                    String end = id(a) + "-end";
                    if (!ids.containsValue(end)) {
                        extra.add(exitStep(end));
                        ids.put("\u0000" + end, end);
                    }
                    split.addObject().put("percent", b.path("Percentage").asInt()).put("goto", end);
                } else {
                    split.addObject().put("percent", b.path("Percentage").asInt()).put("goto", id(n));
                    nexts.add(n);
                }
            }
            return nexts;
        }
        if (act.has("ConditionalSplit")) {
            return conditional(a, act.get("ConditionalSplit"), step, extra);
        }
        if (act.has("MultiCondition")) {
            JsonNode m = act.get("MultiCondition");
            wait(a, m.path("EvaluationWaitTime"), step);
            ArrayNode branches = step.putArray("branches");
            List<String> nexts = new ArrayList<>();
            int i = 0;
            for (JsonNode b : m.path("Branches")) {
                String n = b.path("NextActivity").asText(null);
                for (ObjectNode c : condition(b.path("Condition"), a + ".Branches[" + i++ + "]")) {
                    if (n != null) {
                        c.put("goto", id(n));
                        branches.add(c);
                        nexts.add(n);
                    }
                }
            }
            String dflt = m.path("DefaultActivity").asText(null);
            otherwise(step, dflt, extra, a);
            nexts.add(dflt);
            if (branches.isEmpty()) {
                step.remove("branches");
                step.remove("else");
                goOn(step, dflt);
            }
            return nexts;
        }
        if (act.has("CUSTOM")) {
            JsonNode c = act.get("CUSTOM");
            step.putObject("webhook").put("event", "pinpoint.custom." + id(a));
            report.add("CUSTOM activity " + a + " → webhook event pinpoint.custom." + id(a) + ": point the integrator webhook "
                    + "(POST /v1/webhook-endpoints) at what " + c.path("DeliveryUri").asText("its DeliveryUri") + " did");
            return goOn(step, c.path("NextActivity").asText(null));
        }
        String kind = act.fieldNames().hasNext() ? act.fieldNames().next() : "empty";
        for (String k : List.of("EMAIL", "PUSH", "ContactCenter")) {
            if (act.has(k)) {
                kind = k;
            }
        }
        report.add(kind + " activity " + a + " bridged: Dripline sends SMS only; the path goes on to "
                + act.path(kind).path("NextActivity").asText("the end"));
        return goOn(step, act.path(kind).path("NextActivity").asText(null));
    }

    private List<String> conditional(String a, JsonNode split, ObjectNode step, List<ObjectNode> extra) {
        wait(a, split.path("EvaluationWaitTime"), step);
        String yes = split.path("TrueActivity").asText(null);
        String no = split.path("FalseActivity").asText(null);
        JsonNode conditions = split.path("Condition").path("Conditions");
        boolean all = "ALL".equals(split.path("Condition").path("Operator").asText("ALL")) && conditions.size() > 1;
        String yesId = yes == null ? endId(a, extra) : id(yes);
        List<List<ObjectNode>> perCondition = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            perCondition.add(condition(conditions.get(i), a + ".Condition.Conditions[" + i + "]"));
        }
        if (!all) {
            ArrayNode branches = step.putArray("branches");
            perCondition.forEach(cs -> cs.forEach(c -> branches.add(c.put("goto", yesId))));
            if (branches.isEmpty()) {
                step.remove("branches");
                goOn(step, no);
            } else {
                otherwise(step, no, extra, a);
            }
        } else {
            // ALL: one step per condition, each going on to the next only when its condition holds.
            ObjectNode at = step;
            for (int i = 0; i < perCondition.size(); i++) {
                String target = i == perCondition.size() - 1 ? yesId : id(a + "-and" + (i + 2));
                ArrayNode branches = at.putArray("branches");
                perCondition.get(i).forEach(c -> branches.add(c.put("goto", target)));
                otherwise(at, no, extra, a);
                if (branches.isEmpty()) {
                    at.remove("branches");
                    at.remove("else");
                    goOn(at, no);
                }
                if (i < perCondition.size() - 1) {
                    at = Json.mapper().createObjectNode();
                    at.put("id", target);
                    extra.add(at);
                }
            }
        }
        List<String> nexts = new ArrayList<>();
        if (perCondition.stream().allMatch(cs -> !cs.isEmpty())) {
            nexts.add(yes);
        }
        nexts.add(no);
        return nexts;
    }

    private String endId(String a, List<ObjectNode> extra) {
        String end = id(a) + "-end";
        if (!ids.containsValue(end)) {
            extra.add(exitStep(end));
            ids.put("\u0000" + end, end);
        }
        return end;
    }

    private void otherwise(ObjectNode step, String target, List<ObjectNode> extra, String a) {
        step.put("else", target == null ? endId(a, extra) : id(target));
    }

    private static ObjectNode exitStep(String id) {
        ObjectNode s = Json.mapper().createObjectNode();
        s.put("id", id);
        s.put("exit", true);
        return s;
    }

    /** One SimpleCondition as the branches (alternatives) that express it; empty when nothing can. */
    private List<ObjectNode> condition(JsonNode c, String at) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode dims = c.path("SegmentDimensions");
        if (!dims.isMissingNode()) {
            int before = out.size();
            List<String> kinds = new ArrayList<>();
            dims.fieldNames().forEachRemaining(kinds::add);
            for (String kind : List.of("Attributes", "UserAttributes")) {
                dims.path(kind).fields().forEachRemaining(a -> {
                    String type = a.getValue().path("AttributeType").asText("INCLUSIVE");
                    if (!type.equals("INCLUSIVE")) {
                        report.add(at + ": " + kind + "." + a.getKey() + " " + type + " cannot be a branch (only INCLUSIVE); never holds");
                        return;
                    }
                    a.getValue().path("Values").forEach(v -> out.add(node("tag", Endpoints.tag(a.getKey(), v.asText()))));
                });
            }
            dims.path("Metrics").fields().forEachRemaining(m -> {
                if ("EQUAL".equals(m.getValue().path("ComparisonOperator").asText()) && m.getValue().path("Value").isNumber()) {
                    ObjectNode b = node("attribute", Endpoints.attributeName(m.getKey()));
                    b.set("equals", m.getValue().get("Value"));
                    out.add(b);
                } else {
                    report.add(at + ": Metrics." + m.getKey() + " " + m.getValue().path("ComparisonOperator").asText()
                            + " cannot be a branch (only EQUAL); never holds");
                }
            });
            kinds.removeAll(List.of("Attributes", "UserAttributes", "Metrics"));
            if (!kinds.isEmpty()) {
                report.add(at + ": SegmentDimensions " + kinds + " cannot be a branch; never holds");
            }
            if (out.size() - before > 1 && countDimensions(dims) > 1) {
                report.add(at + ": several dimensions in one condition are tested as alternatives (any of them), "
                        + "not all together; check the split");
            }
        }
        JsonNode event = c.path("EventCondition");
        if (!event.isMissingNode()) {
            JsonNode types = event.path("Dimensions").path("EventType").path("Values");
            if (event.has("MessageActivity")) {
                report.add(at + ": an event of message " + event.get("MessageActivity").asText() + " ("
                        + types + ") cannot be a branch: Dripline's per-message events are delivery receipts and replies; never holds");
            } else if (types.isArray() && !types.isEmpty()) {
                types.forEach(t -> out.add(node("event", t.asText())));
            } else {
                report.add(at + ": an event condition without event types; never holds");
            }
        }
        if (c.has("SegmentCondition")) {
            report.add(at + ": membership of segment " + c.path("SegmentCondition").path("SegmentId").asText()
                    + " cannot be a branch (branches test tags, attributes and events); never holds");
        }
        return out;
    }

    private static int countDimensions(JsonNode dims) {
        int n = 0;
        for (String kind : List.of("Attributes", "UserAttributes", "Metrics")) {
            n += dims.path(kind).size();
        }
        return n;
    }

    private static ObjectNode node(String field, String value) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put(field, value);
        return n;
    }

    private void wait(String a, JsonNode w, ObjectNode step) {
        if (w.hasNonNull("WaitFor")) {
            String d = w.get("WaitFor").asText();
            try {
                if (!Duration.parse(d).isZero()) {
                    step.put("wait", d);
                }
            } catch (DateTimeParseException e) {
                report.add("activity " + a + ": WaitFor '" + d + "' is not an ISO-8601 duration; the step does not wait");
            }
        } else if (w.hasNonNull("WaitUntil")) {
            String t = w.get("WaitUntil").asText();
            try {
                step.putObject("wait").put("until", Instant.parse(t).toString());
            } catch (DateTimeParseException e) {
                report.add("activity " + a + ": WaitUntil '" + t + "' is not an ISO-8601 date-time; the step does not wait");
            }
        }
    }

    private List<String> goOn(ObjectNode step, String next) {
        if (next == null) {
            step.put("exit", true);
            return List.of();
        }
        step.put("goto", id(next));
        return List.of(next);
    }

    /** The template's body with Pinpoint's message variables as Dripline's; defaults from DefaultSubstitutions. */
    private String body(JsonNode template, String activity) {
        Map<String, String> defaults = new LinkedHashMap<>();
        String subs = template.path("DefaultSubstitutions").asText("");
        if (!subs.isBlank()) {
            try {
                Json.mapper().readTree(subs).fields().forEachRemaining(f -> defaults.put(f.getKey(), f.getValue().asText()));
            } catch (java.io.IOException e) {
                report.add("template " + template.path("TemplateName").asText() + ": DefaultSubstitutions is not JSON; no fallbacks");
            }
        }
        Matcher m = VARIABLE.matcher(template.path("Body").asText(""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String mapped = variable(name);
            String fallback = defaults.get(name);
            String replacement;
            if (mapped == null) {
                report.add("SMS activity " + activity + ": variable {{" + name + "}} has no Dripline equivalent; "
                        + (fallback != null ? "its default '" + fallback + "' is written in" : "removed"));
                replacement = fallback == null ? "" : fallback;
            } else {
                replacement = "{{" + mapped + (fallback != null ? "|" + fallback : "") + "}}";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String variable(String name) {
        return switch (name) {
            case "User.UserAttributes.FirstName" -> "firstName";
            case "User.UserAttributes.LastName" -> "lastName";
            case "User.UserAttributes.Email" -> "email";
            case "User.UserId" -> "attributes.externalId";
            case "Address" -> "phone";
            case "Demographic.Timezone" -> "timeZone";
            case "Location.Country" -> "country";
            case "Location.City" -> "attributes.city";
            case "Location.Region" -> "attributes.state";
            case "Location.PostalCode" -> "attributes.zip";
            default -> {
                for (String prefix : List.of("User.UserAttributes.", "Attributes.", "Metrics.")) {
                    if (name.startsWith(prefix)) {
                        yield "attributes." + Endpoints.attributeName(name.substring(prefix.length()));
                    }
                }
                yield null;
            }
        };
    }
}
