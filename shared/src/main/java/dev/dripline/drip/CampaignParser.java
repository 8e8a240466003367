// Over 400 lines: one reader per field of the campaign format, each naming its errors by path; the graph checks are CampaignFlow.
package dev.dripline.drip;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dripline.drip.CampaignDefinition.Action;
import dev.dripline.drip.CampaignDefinition.Branch;
import dev.dripline.drip.CampaignDefinition.CapPolicy;
import dev.dripline.drip.CampaignDefinition.Conversion;
import dev.dripline.drip.CampaignDefinition.Reentry;
import dev.dripline.drip.CampaignDefinition.SendWindow;
import dev.dripline.drip.CampaignDefinition.Step;
import dev.dripline.drip.CampaignDefinition.Trigger;
import dev.dripline.drip.CampaignDefinition.Variant;
import dev.dripline.drip.CampaignDefinition.Wait;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.messaging.Category;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a campaign definition from its JSON (API.md's format) into {@link CampaignDefinition},
 * collecting every problem, then has {@link CampaignFlow} check the steps' graph.
 */
final class CampaignParser {

    private CampaignParser() {
    }

    private static final Set<String> STEP_FIELDS = Set.of("id", "wait", "send", "variants", "tag", "untag", "webhook", "waitForReply",
            "branches", "onTimeout", "else", "onNoMatch", "goto", "next", "exit", "holdout", "split");
    private static final Set<String> FIELDS = Set.of("name", "category", "trigger", "exitOn", "sendWindow", "reentry", "steps",
            "frequencyCap", "ageGated", "conversion", "description", "topic");
    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Parses and checks a definition; every problem is named in one {@link InvalidInput}. */
    static CampaignDefinition parse(JsonNode json) {
        List<FieldError> errors = new ArrayList<>();
        if (json == null || !json.isObject()) {
            throw InvalidInput.of("body", "must be a JSON object with name, trigger and steps");
        }
        json.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f) && !f.equals("id") && !f.equals("status") && !f.equals("version")) {
                errors.add(new FieldError(f, "is not a campaign field (known: " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")"));
            }
        });
        String name = text(json, "name");
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (name.length() > 200) {
            errors.add(new FieldError("name", "has more than 200 characters"));
        }
        Category category = Category.MARKETING;
        if (json.hasNonNull("category")) {
            category = Category.fromWire(json.get("category").asText());
            if (category == null) {
                errors.add(new FieldError("category", "must be marketing or transactional"));
                category = Category.MARKETING;
            }
        }
        Trigger trigger = trigger(json.get("trigger"), errors);
        Map<String, String> exitKeys = new LinkedHashMap<>();
        List<String> exitOn = ExitOn.parse(json.get("exitOn"), trigger, exitKeys, errors);
        Optional<SendWindow> window = window(json.get("sendWindow"), errors);
        // A keyed trigger's runs are one per thing: a new thing (or the same one booked again after its run ended) starts one.
        Reentry reentry = !json.hasNonNull("reentry") && trigger instanceof Trigger.OnEvent on && on.keyed()
                ? new Reentry.Always() : reentry(json.get("reentry"), errors);
        CapPolicy cap = CapPolicy.DEFER;
        if (json.hasNonNull("frequencyCap")) {
            String c = json.get("frequencyCap").asText().toLowerCase(Locale.ROOT);
            if (c.equals("skip")) {
                cap = CapPolicy.SKIP;
            } else if (!c.equals("defer")) {
                errors.add(new FieldError("frequencyCap", "must be defer or skip"));
            }
        }
        String topic = null;
        if (json.has("topic") && !json.get("topic").isNull()) {
            topic = json.get("topic").isTextual() ? json.get("topic").asText().trim().toLowerCase(Locale.ROOT) : "";
            if (!topic.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                errors.add(new FieldError("topic", "must be a topic name such as marketing, reminders or alerts (DRIPLINE_TOPICS)"));
            }
        }
        boolean ageGated = json.path("ageGated").asBoolean(false);
        if (json.has("ageGated") && !json.get("ageGated").isBoolean()) {
            errors.add(new FieldError("ageGated", "must be true or false"));
        }
        Conversion conversion = new Conversion(Optional.empty(), Duration.ofDays(7));
        JsonNode conv = json.get("conversion");
        if (conv != null && !conv.isNull()) {
            Optional<String> event = Optional.ofNullable(text(conv, "event")).filter(s -> !s.isBlank());
            Duration window7 = conv.hasNonNull("window") ? duration(conv.get("window"), "conversion.window", errors) : Duration.ofDays(7);
            conversion = new Conversion(event, window7 == null ? Duration.ofDays(7) : window7);
        }

        List<Step> steps = new ArrayList<>();
        JsonNode stepsJson = json.get("steps");
        if (stepsJson == null || !stepsJson.isArray() || stepsJson.isEmpty()) {
            errors.add(new FieldError("steps", "needs at least one step"));
        } else {
            if (stepsJson.size() > 100) {
                errors.add(new FieldError("steps", "has " + stepsJson.size() + " steps; at most 100"));
            }
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < stepsJson.size(); i++) {
                Step s = step(stepsJson.get(i), "steps[" + i + "]", errors);
                if (s != null) {
                    if (!ids.add(s.id())) {
                        errors.add(new FieldError("steps[" + i + "].id", "'" + s.id() + "' is used by an earlier step"));
                    }
                    steps.add(s);
                }
            }
            CampaignFlow.check(steps, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new CampaignDefinition(name, category, trigger, exitOn, window, reentry, List.copyOf(steps), cap, ageGated, conversion, exitKeys,
                topic);
    }

    private static Step step(JsonNode s, String at, List<FieldError> errors) {
        if (s == null || !s.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return null;
        }
        s.fieldNames().forEachRemaining(f -> {
            if (!STEP_FIELDS.contains(f) && !ReplyCapture.STEP_FIELDS.contains(f)) {
                Set<String> known = new java.util.TreeSet<>(STEP_FIELDS);
                known.addAll(ReplyCapture.STEP_FIELDS);
                errors.add(new FieldError(at + "." + f, "is not a step field (known: " + String.join(", ", known) + ")"));
            }
        });
        String id = text(s, "id");
        if (id == null || !STEP_ID.matcher(id).matches()) {
            errors.add(new FieldError(at + ".id", "is required: 1-64 letters, digits, - or _"));
            id = id == null ? at : id;
        }
        Optional<Wait> wait = Optional.empty();
        JsonNode w = s.get("wait");
        if (w != null && !w.isNull()) {
            if (w.isTextual()) {
                Duration d = duration(w, at + ".wait", errors);
                if (d != null) {
                    wait = Optional.of(new Wait.For(d));
                }
            } else if (w.isObject() && w.has("relativeTo")) {
                RelativeWait relative = RelativeWait.parse(w, at + ".wait", errors);
                if (relative != null) {
                    wait = Optional.of(new Wait.Relative(relative));
                }
            } else if (w.isObject() && w.path("until").asText("").contains("T")) {
                try {
                    wait = Optional.of(new Wait.At(OffsetDateTime.parse(w.get("until").asText()).toInstant()));
                } catch (DateTimeParseException e) {
                    errors.add(new FieldError(at + ".wait.until", "'" + w.get("until").asText() + "' is not an ISO-8601 date-time with Z or an offset"));
                }
            } else if (w.isObject() && w.has("until")) {
                LocalTime t = time(w.get("until"), at + ".wait.until", errors);
                Set<DayOfWeek> days = days(w.get("days"), at + ".wait.days", errors);
                if (t != null) {
                    wait = Optional.of(new Wait.Until(t, days));
                }
            } else {
                errors.add(new FieldError(at + ".wait", "must be an ISO-8601 duration (\"PT1H\"), {\"until\": \"09:00\", \"days\"?: [\"MON\", ...]}"
                        + " or {\"relativeTo\": \"event.appointmentAt\", \"offset\"?: \"-P1D\", \"at\"?: \"09:00\", \"ifPast\"?: \"skip\"}"));
            }
        }
        List<Variant> variants = new ArrayList<>();
        if (s.hasNonNull("send") && s.hasNonNull("variants")) {
            errors.add(new FieldError(at, "has both send and variants; give one"));
        }
        if (s.hasNonNull("send")) {
            Template body = body(s.get("send"), at + ".send", errors);
            if (body != null) {
                variants.add(new Variant(null, 1, body, media(s.get("send"), at + ".send", errors), fallback(s.get("send"), at + ".send", errors)));
            }
        } else if (s.hasNonNull("variants")) {
            JsonNode vs = s.get("variants");
            if (!vs.isArray() || vs.size() < 2) {
                errors.add(new FieldError(at + ".variants", "needs at least two variants, each {id, weight, send: {body}}"));
            } else {
                Set<String> vids = new HashSet<>();
                for (int v = 0; v < vs.size(); v++) {
                    JsonNode vn = vs.get(v);
                    String vat = at + ".variants[" + v + "]";
                    String vid = text(vn, "id");
                    if (vid == null || !STEP_ID.matcher(vid).matches()) {
                        errors.add(new FieldError(vat + ".id", "is required: 1-64 letters, digits, - or _"));
                    } else if (!vids.add(vid)) {
                        errors.add(new FieldError(vat + ".id", "'" + vid + "' is used by another variant"));
                    }
                    int weight = vn.path("weight").asInt(1);
                    if (vn.has("weight") && (!vn.get("weight").canConvertToInt() || weight < 1 || weight > 10_000)) {
                        errors.add(new FieldError(vat + ".weight", "must be a whole number from 1 to 10000"));
                        weight = 1;
                    }
                    Template body = body(vn.get("send"), vat + ".send", errors);
                    if (body != null && vid != null) {
                        variants.add(new Variant(vid, weight, body, media(vn.get("send"), vat + ".send", errors),
                                fallback(vn.get("send"), vat + ".send", errors)));
                    }
                }
            }
        }
        List<String> tag = strings(s.get("tag"), at + ".tag", errors);
        List<String> untag = strings(s.get("untag"), at + ".untag", errors);
        Optional<Action.Webhook> webhook = Optional.empty();
        JsonNode wh = s.get("webhook");
        if (wh != null && !wh.isNull()) {
            String event = wh.isTextual() ? wh.asText() : text(wh, "event");
            if (wh.isObject() && wh.has("url")) {
                errors.add(new FieldError(at + ".webhook.url", "per-step URLs are not supported: step events go to the integrator webhook "
                        + "(DRIPLINE_OUTBOUND_WEBHOOK_URL), signed like every other event"));
            }
            webhook = Optional.of(new Action.Webhook(event == null || event.isBlank() ? "campaign.step" : event));
        }
        Optional<Duration> timeout = Optional.empty();
        JsonNode wfr = s.get("waitForReply");
        if (wfr != null && !wfr.isNull()) {
            Duration d = wfr.isObject() ? duration(wfr.get("timeout"), at + ".waitForReply.timeout", errors) : null;
            if (!wfr.isObject()) {
                errors.add(new FieldError(at + ".waitForReply", "must be {\"timeout\": \"P2D\", \"save\"?: {...}, \"invalid\"?: {...}}"));
            }
            timeout = Optional.ofNullable(d);
            if (d == null && wfr.isObject()) {
                timeout = Optional.of(Duration.ofDays(1));
            }
        }
        Optional<ReplyCapture> capture = ReplyCapture.parse(wfr != null && wfr.isObject() ? wfr : null, s, at, errors);
        List<Branch> branches = new ArrayList<>();
        JsonNode bs = s.get("branches");
        if (bs != null && !bs.isNull()) {
            if (!bs.isArray()) {
                errors.add(new FieldError(at + ".branches", "must be a list"));
            } else {
                for (int b = 0; b < bs.size(); b++) {
                    Branch branch = branch(bs.get(b), at + ".branches[" + b + "]", wfr != null && !wfr.isNull(), capture.isPresent(), errors);
                    if (branch != null) {
                        branches.add(branch);
                    }
                }
            }
        }
        String onTimeout = text(s, "onTimeout");
        String otherwise = s.hasNonNull("onNoMatch") ? text(s, "onNoMatch") : text(s, "else");
        String next = s.hasNonNull("goto") ? text(s, "goto") : text(s, "next");
        boolean exit = s.path("exit").asBoolean(false);
        if (onTimeout != null && timeout.isEmpty()) {
            errors.add(new FieldError(at + ".onTimeout", "needs waitForReply"));
        }
        if (timeout.isPresent() && branches.isEmpty() && capture.isEmpty()) {
            errors.add(new FieldError(at + ".branches", "a step that waits for a reply needs branches on the reply"));
        }
        if (exit && (next != null || !branches.isEmpty() || timeout.isPresent())) {
            errors.add(new FieldError(at + ".exit", "an exit step cannot also go on (goto, branches, waitForReply)"));
        }
        List<Action> actions = new ArrayList<>();
        if (!variants.isEmpty()) {
            actions.add(new Action.Send(List.copyOf(variants)));
        }
        if (!tag.isEmpty() || !untag.isEmpty()) {
            actions.add(new Action.Tag(tag, untag));
        }
        webhook.ifPresent(actions::add);
        return new Step(id, wait, List.copyOf(actions), timeout, List.copyOf(branches), onTimeout, otherwise, next, exit,
                Holdout.parse(s, at, errors), RandomSplit.parse(s, at, errors), capture);
    }

    /** @param saves the step saves the reply's answer: it may branch on attributes (the saved one) as well as on the reply */
    private static Branch branch(JsonNode b, String at, boolean onReply, boolean saves, List<FieldError> errors) {
        if (b == null || !b.isObject()) {
            errors.add(new FieldError(at, "must be an object"));
            return null;
        }
        String target = text(b, "goto");
        if (target == null) {
            errors.add(new FieldError(at + ".goto", "is required"));
        }
        Pattern match = null;
        if (b.hasNonNull("match")) {
            try {
                match = Pattern.compile(b.get("match").asText(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                errors.add(new FieldError(at + ".match", "does not compile: " + e.getDescription() + " near index " + e.getIndex()));
            }
        }
        String attribute = text(b, "attribute");
        String tag = text(b, "tag");
        String event = text(b, "event");
        Duration within = b.hasNonNull("within") ? duration(b.get("within"), at + ".within", errors) : null;
        int conditions = (b.has("match") ? 1 : 0) + (attribute != null ? 1 : 0) + (tag != null ? 1 : 0) + (event != null ? 1 : 0);
        if (conditions != 1) {
            errors.add(new FieldError(at, "needs exactly one of match (a reply), attribute, tag, event"));
        } else if (onReply && saves && !b.has("match") && attribute == null) {
            errors.add(new FieldError(at, "a step that saves a reply's answer branches on the reply (match) or an attribute (the saved one)"));
        } else if (onReply && !saves && !b.has("match")) {
            errors.add(new FieldError(at, "a step that waits for a reply branches on the reply: use match (or save the answer and branch on its attribute)"));
        } else if (!onReply && b.has("match")) {
            errors.add(new FieldError(at + ".match", "only a step with waitForReply can match a reply"));
        }
        // With errors the definition is refused; the branch still serves the checks of its goto.
        if (b.has("match")) {
            return new Branch.Reply(match, target);
        } else if (attribute != null) {
            return AttributeBranches.parse(b, at, attribute, target, errors);
        } else if (tag != null) {
            return new Branch.Tag(tag, target);
        }
        return new Branch.Event(event, within, target);
    }

    /** {@code send.media}: [{url} or {id}], checked for shape here; uploaded ids are looked up when the step sends. */
    private static List<dev.dripline.media.MediaInput> media(JsonNode send, String at, List<FieldError> errors) {
        JsonNode media = send == null ? null : send.get("media");
        if (media == null || media.isNull()) {
            return List.of();
        }
        if (!media.isArray() || media.size() > dev.dripline.media.MediaAttachments.MAX_ENTRIES) {
            errors.add(new FieldError(at + ".media", "must be a list of at most " + dev.dripline.media.MediaAttachments.MAX_ENTRIES
                    + " entries, each {url} or {id}"));
            return List.of();
        }
        List<dev.dripline.media.MediaInput> inputs = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            JsonNode m = media.get(i);
            String url = m.path("url").isTextual() ? m.get("url").asText() : null;
            String id = m.path("id").isTextual() ? m.get("id").asText() : null;
            if ((url == null) == (id == null) || url != null && !url.startsWith("https://")
                    || id != null && !id.matches("med_[A-Za-z0-9_-]{1,60}")) {
                errors.add(new FieldError(at + ".media[" + i + "]", "must be {\"url\": \"https://...\"} or {\"id\": \"med_...\"}"));
            } else {
                inputs.add(new dev.dripline.media.MediaInput(url, id));
            }
        }
        return inputs;
    }

    private static String fallback(JsonNode send, String at, List<FieldError> errors) {
        String wire = send == null || !send.path("mediaFallback").isTextual() ? null : send.get("mediaFallback").asText();
        if (send != null && send.hasNonNull("mediaFallback") && dev.dripline.media.MediaAttachments.Fallback.fromWire(wire) == null) {
            errors.add(new FieldError(at + ".mediaFallback", "must be link or fail"));
        }
        return wire;
    }

    private static Template body(JsonNode send, String at, List<FieldError> errors) {
        if (send == null || !send.isObject() || !send.hasNonNull("body") || send.get("body").asText().isBlank()) {
            errors.add(new FieldError(at + ".body", "is required"));
            return null;
        }
        Template t = new Template(send.get("body").asText());
        if (t.text().length() > 1600) {
            errors.add(new FieldError(at + ".body", "has " + t.text().length() + " characters; at most 1600"));
        }
        for (String unknown : t.unknownVariables()) {
            errors.add(new FieldError(at + ".body", "uses {{" + unknown + "}}, which is not a variable (known: firstName, lastName, email, "
                    + "phone, country, timeZone, brand, attributes.<name>, event.<property>)"));
        }
        return t;
    }

    private static Trigger trigger(JsonNode t, List<FieldError> errors) {
        if (t == null || t.isNull() || (t.isObject() && t.path("api").asBoolean(false))) {
            return new Trigger.ByApi();
        }
        if (!t.isObject()) {
            errors.add(new FieldError("trigger", "must be {event}, {segment}, {date: {attribute, at}} or {api: true}"));
            return new Trigger.ByApi();
        }
        String key = ExitOn.keyName(t, "trigger.key", errors);
        if (t.has("key") && !t.hasNonNull("event")) {
            errors.add(new FieldError("trigger.key", "only an event trigger can be keyed: {\"event\": \"appointment_booked\", \"key\": \"appointmentId\"}"));
        }
        if (t.hasNonNull("event")) {
            String e = t.get("event").asText();
            if (e.isBlank() || e.length() > 100) {
                errors.add(new FieldError("trigger.event", "must be an event name of 1-100 characters"));
            }
            return new Trigger.OnEvent(e, key);
        }
        if (t.hasNonNull("segment") || t.hasNonNull("segmentId")) {
            return new Trigger.OnSegment(t.hasNonNull("segment") ? t.get("segment").asText() : t.get("segmentId").asText());
        }
        if (t.hasNonNull("date")) {
            JsonNode d = t.get("date");
            String attribute = text(d, "attribute");
            if (attribute == null || attribute.isBlank()) {
                errors.add(new FieldError("trigger.date.attribute", "is required (a contact attribute holding a date, e.g. birthday)"));
            }
            LocalTime at = d.hasNonNull("at") ? time(d.get("at"), "trigger.date.at", errors) : LocalTime.of(10, 0);
            return new Trigger.OnDate(attribute, at == null ? LocalTime.of(10, 0) : at);
        }
        errors.add(new FieldError("trigger", "must be {event}, {segment}, {date: {attribute, at}} or {api: true}"));
        return new Trigger.ByApi();
    }

    private static Optional<SendWindow> window(JsonNode w, List<FieldError> errors) {
        if (w == null || w.isNull()) {
            return Optional.empty();
        }
        LocalTime start = time(w.get("start"), "sendWindow.start", errors);
        LocalTime end = time(w.get("end"), "sendWindow.end", errors);
        Set<DayOfWeek> days = days(w.get("days"), "sendWindow.days", errors);
        if (start != null && end != null && !start.isBefore(end)) {
            errors.add(new FieldError("sendWindow", "start must be before end (a window does not cross midnight)"));
        }
        return start == null || end == null ? Optional.empty() : Optional.of(new SendWindow(start, end, days));
    }

    private static Reentry reentry(JsonNode r, List<FieldError> errors) {
        if (r == null || r.isNull()) {
            return new Reentry.Once();
        }
        if (r.isTextual()) {
            switch (r.asText()) {
                case "once" -> {
                    return new Reentry.Once();
                }
                case "always" -> {
                    return new Reentry.Always();
                }
                default -> {
                }
            }
        } else if (r.isObject() && r.has("after")) {
            Duration d = duration(r.get("after"), "reentry.after", errors);
            return d == null ? new Reentry.Once() : new Reentry.After(d);
        }
        errors.add(new FieldError("reentry", "must be \"once\", \"always\" or {\"after\": \"P30D\"}"));
        return new Reentry.Once();
    }

    static Duration duration(JsonNode n, String field, List<FieldError> errors) {
        if (n == null || !n.isTextual()) {
            errors.add(new FieldError(field, "must be an ISO-8601 duration such as PT1H or P3D"));
            return null;
        }
        try {
            Duration d = Duration.parse(n.asText());
            if (d.isNegative() || d.isZero()) {
                errors.add(new FieldError(field, "must be longer than zero"));
                return null;
            }
            if (d.compareTo(Duration.ofDays(3660)) > 0) {
                errors.add(new FieldError(field, "is longer than ten years"));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + n.asText() + "' is not an ISO-8601 duration such as PT1H or P3D"));
            return null;
        }
    }

    private static LocalTime time(JsonNode n, String field, List<FieldError> errors) {
        if (n == null || !n.isTextual()) {
            errors.add(new FieldError(field, "must be a local time HH:MM"));
            return null;
        }
        try {
            return LocalTime.parse(n.asText());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "'" + n.asText() + "' is not a local time HH:MM"));
            return null;
        }
    }

    private static Set<DayOfWeek> days(JsonNode n, String field, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (!n.isArray() || n.isEmpty()) {
            errors.add(new FieldError(field, "must be a list of weekdays such as [\"MON\", \"TUE\"]"));
            return EnumSet.allOf(DayOfWeek.class);
        }
        for (JsonNode d : n) {
            String s = d.asText().toUpperCase(Locale.ROOT);
            DayOfWeek day = null;
            for (DayOfWeek w : DayOfWeek.values()) {
                if (w.name().equals(s) || w.name().startsWith(s) && s.length() >= 3) {
                    day = w;
                }
            }
            if (day == null) {
                errors.add(new FieldError(field, "'" + d.asText() + "' is not a weekday (MON..SUN)"));
            } else {
                days.add(day);
            }
        }
        return days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : days;
    }

    private static List<String> strings(JsonNode n, String field, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            errors.add(new FieldError(field, "must be a list of strings"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank()) {
                errors.add(new FieldError(field, "must be a list of non-blank strings"));
            } else {
                out.add(e.asText().trim());
            }
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode n, String field) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
