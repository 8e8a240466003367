// Over 400 lines: the programs' store, their checks and the inbound matching share one short cache; split store from matching when it grows further.
package dev.dripline.keywords;

import dev.dripline.ids.Ids;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.drip.Template;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.json.Json;
import dev.dripline.store.Page;
import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Keyword programs ({@code /v1/keywords}), stored in the keywords table, so a new keyword takes
 * effect without a redeploy: each instance matches inbound messages against a copy of the list at
 * most {@link #CACHE} old (an edit through the same instance refreshes it at once). The programs
 * are one partition ({@value #PROGRAMS}, at most {@link #MAX_PROGRAMS}); a text-to-join request
 * waiting for its "Y" is kept under {@code join#<contactId>} until confirmed or expired.
 *
 * <p>A program may not take a keyword the consent rules act on (STOP, 退订, T, TD, START, HELP, 是,
 * Y and the rest of {@link KeywordRules}' list) nor one of DRIPLINE_KEYWORDS, which stay the
 * start-up defaults. One keyword has at most one program for every number and one per number;
 * a number's own program wins over the one for every number. That rule holds under concurrent
 * writes: each (keyword, number) pair, or (keyword, every number), is claimed by a conditional
 * write before the program is stored, so of two racing creates only one gets the claim.
 */
public final class KeywordPrograms {

    /** How long an instance reuses the program list when matching. */
    public static final Duration CACHE = Duration.ofSeconds(15);
    /** How long a text-to-join request waits for its confirmation. */
    public static final Duration JOIN_WAIT = Duration.ofDays(30);
    public static final int MAX_PROGRAMS = 1000;

    static final String PK = "pk";
    static final String SK = "sk";
    static final String PROGRAMS = "programs";
    private static final String JOIN = "join#";
    /** A keyword's claim on a number ({@code claim#PARK} / {@code +1415...}, or {@code *} for every number): one program each. */
    private static final String CLAIM = "claim#";
    private static final String EVERY_NUMBER = "*";
    /** A claim older than this whose program does not exist was left by a create that died half-way: it may be taken over. */
    private static final Duration STALE_CLAIM = Duration.ofMinutes(2);
    private static final Set<String> FIELDS = Set.of("keyword", "numbers", "argument", "reply", "event", "help", "optIn", "topic");
    private static final Pattern KEYWORD = Pattern.compile("[\\p{L}\\p{N}]{1,20}");
    private static final Pattern ARGUMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern ARGUMENT_PLACEHOLDER = Pattern.compile("\\{\\{\\s*argument\\s*(\\|[^}]*)?}}");

    private final DynamoDbClient dynamo;
    private final String table;
    private final KeywordRules rules;
    private final String brand;
    private final Clock clock;
    private final dev.dripline.consent.Topics topics;
    private volatile List<KeywordProgram> cached;
    private volatile long cachedAtNanos;

    /** @param rules the configured rules (defaults and DRIPLINE_KEYWORDS), which programs may not shadow */
    public KeywordPrograms(DynamoDbClient dynamo, String table, KeywordRules rules, String brand, Clock clock) {
        this(dynamo, table, rules, brand, clock, dev.dripline.consent.Topics.DEFAULT);
    }

    /** @param topics the topics a program may name (DRIPLINE_TOPICS) */
    public KeywordPrograms(DynamoDbClient dynamo, String table, KeywordRules rules, String brand, Clock clock,
                           dev.dripline.consent.Topics topics) {
        this.topics = topics;
        this.dynamo = dynamo;
        this.table = table;
        this.rules = rules;
        this.brand = brand;
        this.clock = clock;
    }

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, PK, SK, List.of(), "expiresAt");
    }

    // The API --------------------------------------------------------------------------------------

    /** {@code POST /v1/keywords}. */
    public KeywordProgram create(Map<String, Object> body) {
        KeywordProgram in = read(body);
        List<KeywordProgram> all = loadAll();
        if (all.size() >= MAX_PROGRAMS) {
            throw new Conflict("there are already " + MAX_PROGRAMS + " keyword programs: delete one first");
        }
        refuseOverlap(in, null, all);
        Instant now = clock.instant();
        KeywordProgram p = new KeywordProgram(Ids.next("kw", clock), in.keyword(), in.numbers(), in.argument(), in.reply(), in.event(),
                in.help(), in.optIn(), now, now, in.topic());
        List<String> claimed = claim(p.keyword(), claims(p), p.id(), List.of());
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(p)).conditionExpression("attribute_not_exists(pk)"));
        } catch (RuntimeException failed) {
            release(p.keyword(), claimed, p.id());
            throw failed;
        }
        cached = null;
        return p;
    }

    public KeywordProgram get(String id) {
        return stored(id).orElseThrow(() -> new NotFound("keyword program", id));
    }

    public Page<KeywordProgram> list(int limit, String cursor) {
        QueryResponse page = dynamo.query(r -> {
            r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(PROGRAMS))).limit(limit);
            if (cursor != null && !cursor.isBlank()) {
                r.exclusiveStartKey(PageCursor.decode(cursor, "keywords", Set.of(PK, SK)));
            }
        });
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? PageCursor.encode("keywords", page.lastEvaluatedKey()) : null;
        return new Page<>(page.items().stream().map(KeywordPrograms::program).toList(), next);
    }

    /** {@code PUT /v1/keywords/{id}}: the whole program, as for create. */
    public KeywordProgram replace(String id, Map<String, Object> body) {
        KeywordProgram in = read(body);
        KeywordProgram old = get(id);
        refuseOverlap(in, id, loadAll());
        KeywordProgram p = new KeywordProgram(id, in.keyword(), in.numbers(), in.argument(), in.reply(), in.event(), in.help(), in.optIn(),
                old.createdAt(), clock.instant(), in.topic());
        List<String> kept = old.keyword().equals(p.keyword()) ? claims(old) : List.of();
        List<String> claimed = claim(p.keyword(), claims(p), id, kept);
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(p)).conditionExpression("updatedAt = :was")
                    .expressionAttributeValues(Map.of(":was", s(old.updatedAt().toString()))));
        } catch (ConditionalCheckFailedException raced) {
            release(p.keyword(), claimed, id);
            throw new Conflict("the keyword program " + id + " changed meanwhile: read it again and retry");
        }
        List<String> now = claims(p);
        release(old.keyword(), claims(old).stream().filter(n -> !old.keyword().equals(p.keyword()) || !now.contains(n)).toList(), id);
        cached = null;
        return p;
    }

    public void delete(String id) {
        KeywordProgram p = get(id);
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of(PK, s(PROGRAMS), SK, s(id))));
        release(p.keyword(), claims(p), id);
        cached = null;
    }

    // Claims: one program per (keyword, number) under concurrency ------------------------------------

    private static List<String> claims(KeywordProgram p) {
        return p.numbers().isEmpty() ? List.of(EVERY_NUMBER) : p.numbers().stream().sorted().toList();
    }

    /**
     * Claims each of {@code numbers} (in sorted order, so two racing writers meet on the same first
     * number) for program {@code id}, or claims none and throws {@link Conflict}.
     *
     * @param held the claims {@code id} already has (a replace keeping its numbers)
     * @return the claims newly taken, to release if the program's own write then fails
     */
    private List<String> claim(String keyword, List<String> numbers, String id, List<String> held) {
        List<String> taken = new ArrayList<>();
        for (String number : numbers) {
            if (held.contains(number)) {
                continue;
            }
            Optional<String> owner = claimOne(keyword, number, id);
            if (owner.isPresent()) {
                release(keyword, taken, id);
                throw new Conflict("the keyword " + keyword + " already has a program (" + owner.get() + ") on "
                        + (EVERY_NUMBER.equals(number) ? "every number" : "one of these numbers")
                        + ": change or delete that one, or give this one other numbers");
            }
            taken.add(number);
        }
        return taken;
    }

    /** Empty when claimed; else the program holding the claim. */
    private Optional<String> claimOne(String keyword, String number, String id) {
        Map<String, AttributeValue> key = Map.of(PK, s(CLAIM + keyword), SK, s(number));
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put("programId", s(id));
        item.put("claimedAt", s(clock.instant().toString()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk) OR programId = :me")
                    .expressionAttributeValues(Map.of(":me", s(id))));
            return Optional.empty();
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> current = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key)).item();
            if (current == null || current.isEmpty()) {
                return claimOne(keyword, number, id);
            }
            String owner = current.get("programId").s();
            boolean stale = Instant.parse(current.get("claimedAt").s()).isBefore(clock.instant().minus(STALE_CLAIM))
                    && stored(owner).isEmpty();
            if (!stale) {
                return Optional.of(owner);
            }
            try {
                dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("programId = :stale")
                        .expressionAttributeValues(Map.of(":stale", s(owner))));
                return Optional.empty();
            } catch (ConditionalCheckFailedException raced) {
                return Optional.of(owner);
            }
        }
    }

    private void release(String keyword, List<String> numbers, String id) {
        for (String number : numbers) {
            try {
                dynamo.deleteItem(r -> r.tableName(table).key(Map.of(PK, s(CLAIM + keyword), SK, s(number)))
                        .conditionExpression("programId = :me").expressionAttributeValues(Map.of(":me", s(id))));
            } catch (ConditionalCheckFailedException notOurs) {
                // Taken over meanwhile (or never ours): nothing to release.
            }
        }
    }

    // Matching inbound messages --------------------------------------------------------------------

    /**
     * A message that starts with a program's keyword on a number it listens on.
     *
     * @param argument   what followed the keyword (blank when nothing did)
     * @param argumentOk whether that is what the program takes; when false, the program's help is the answer
     */
    public record Match(KeywordProgram program, String argument, boolean argumentOk) {

        /** The event's properties: the argument under its name. */
        public Map<String, Object> properties() {
            return program.argument() == null || !argumentOk ? Map.of() : Map.of(program.argument().name(), argument);
        }
    }

    public Optional<Match> match(String to, String body) {
        if (body == null || body.isBlank() || body.length() > 200) {
            return Optional.empty();
        }
        String text = body.strip();
        String[] parts = text.split("\\s+", 2);
        String keyword = KeywordRules.normalize(parts[0]);
        String argument = parts.length > 1 ? parts[1].strip() : "";
        String number = e164OrAsIs(to);
        KeywordProgram found = null;
        for (KeywordProgram p : programs()) {
            if (p.keyword().equals(keyword) && p.listensOn(number) && (found == null || found.numbers().isEmpty())) {
                found = p;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        if (found.argument() == null) {
            // Without an argument the message is just the keyword, as for the configured keywords.
            return KeywordRules.normalize(text).equals(keyword) ? Optional.of(new Match(found, "", true)) : Optional.empty();
        }
        String value = stripTrailingPunctuation(argument);
        // RE2: linear in the text whatever the pattern, so no pattern can hang the webhook.
        boolean ok = !value.isEmpty() && com.google.re2j.Pattern.compile(found.argument().pattern()).matcher(value).matches();
        return Optional.of(new Match(found, value, ok));
    }

    /** The reply for a good argument, rendered by the campaigns' template renderer. */
    public String reply(KeywordProgram p, Contact contact, Map<String, Object> properties) {
        return template(p).render(contact, properties, brand);
    }

    /** The answer to a missing or bad argument. */
    public String help(KeywordProgram p) {
        if (p.help() != null) {
            return p.help().replace("{{brand}}", brand);
        }
        return brand + ": text " + p.keyword() + " followed by your " + p.argument().name() + ". Reply HELP for help, STOP to opt out.";
    }

    /** Text-to-join's question: the double opt-in's, answered with Y (or YES, 是). */
    public String joinQuestion(KeywordProgram p) {
        return brand + ": Reply Y to confirm you want texts from us (you texted " + p.keyword()
                + "). Msg&data rates may apply. Reply STOP to opt out.";
    }

    /** Keeps what a text-to-join request was (keyword, number texted, time) until its confirmation. */
    public void rememberJoin(String contactId, KeywordProgram p, String to, Instant textedAt, String inboundId) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, s(JOIN + contactId));
        item.put(SK, s("join"));
        item.put("keyword", s(p.keyword()));
        item.put("programId", s(p.id()));
        item.put("to", s(to == null ? "" : to));
        item.put("textedAt", s(textedAt.toString()));
        item.put("inboundId", s(inboundId));
        if (p.topic() != null) {
            item.put("topic", s(p.topic()));
        }
        item.put("expiresAt", AttributeValue.fromN(Long.toString(clock.instant().plus(JOIN_WAIT).getEpochSecond())));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /**
     * The ledger's proof for the confirmation of a text-to-join request, if one is waiting: the
     * keyword, the number texted and when, the confirmation and when, as JSON.
     */
    public Optional<String> joinProof(String contactId, String confirmation, Instant confirmedAt) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(JOIN + contactId), SK, s("join")))).item();
        if (item == null || item.isEmpty() || Long.parseLong(item.get("expiresAt").n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        Map<String, Object> proof = new LinkedHashMap<>();
        proof.put("textToJoin", true);
        proof.put("keyword", item.get("keyword").s());
        proof.put("programId", item.get("programId").s());
        proof.put("to", item.get("to").s());
        proof.put("textedAt", item.get("textedAt").s());
        proof.put("confirmation", confirmation);
        proof.put("confirmedAt", confirmedAt.toString());
        if (item.containsKey("topic")) {
            proof.put("topic", item.get("topic").s());
        }
        return Optional.of(Json.write(proof));
    }

    /** The topic of the program a waiting text-to-join request texted, if it names one. */
    public Optional<String> joinTopic(String contactId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(JOIN + contactId), SK, s("join")))).item();
        if (item == null || item.isEmpty() || !item.containsKey("topic") || Long.parseLong(item.get("expiresAt").n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item.get("topic").s());
    }

    /**
     * The topic of the programs that list {@code number} among their {@code numbers}, when they
     * name one topic (none, or several different ones: empty). Programs on every number say nothing
     * about a number's topic.
     */
    public Optional<String> topicOfNumber(String number) {
        if (number == null) {
            return Optional.empty();
        }
        List<String> found = programs().stream().filter(p -> p.topic() != null && p.numbers().contains(number))
                .map(KeywordProgram::topic).distinct().toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** The request was confirmed: its record goes. */
    public void joined(String contactId) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of(PK, s(JOIN + contactId), SK, s("join"))));
    }

    // Internals ------------------------------------------------------------------------------------

    private List<KeywordProgram> programs() {
        List<KeywordProgram> c = cached;
        if (c == null || System.nanoTime() - cachedAtNanos > CACHE.toNanos()) {
            c = loadAll();
            cached = c;
            cachedAtNanos = System.nanoTime();
        }
        return c;
    }

    private List<KeywordProgram> loadAll() {
        List<KeywordProgram> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(PROGRAMS))).exclusiveStartKey(from));
            page.items().forEach(i -> all.add(program(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return List.copyOf(all);
    }

    private Optional<KeywordProgram> stored(String id) {
        if (id == null || !id.startsWith("kw_")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(PROGRAMS), SK, s(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(program(item));
    }

    private void refuseOverlap(KeywordProgram in, String self, List<KeywordProgram> all) {
        for (KeywordProgram other : all) {
            if (other.id().equals(self) || !other.keyword().equals(in.keyword())) {
                continue;
            }
            // One program for every number and others for some numbers may coexist: a number's own wins.
            boolean overlaps = other.numbers().isEmpty() && in.numbers().isEmpty()
                    || other.numbers().stream().anyMatch(in.numbers()::contains);
            if (overlaps) {
                throw new Conflict("the keyword " + in.keyword() + " already has a program (" + other.id() + ") on "
                        + (in.numbers().isEmpty() ? "every number" : "one of these numbers")
                        + ": change or delete that one, or give this one other numbers");
            }
        }
    }

    private static Template template(KeywordProgram p) {
        String text = p.reply();
        if (p.argument() != null) {
            Matcher m = ARGUMENT_PLACEHOLDER.matcher(text);
            text = m.replaceAll(r -> Matcher.quoteReplacement("{{event." + p.argument().name() + (r.group(1) == null ? "" : r.group(1)) + "}}"));
        }
        return new Template(text);
    }

    /** Reads and checks a program, naming every offending field at once. */
    @SuppressWarnings("unchecked")
    KeywordProgram read(Map<String, Object> body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null) {
            throw InvalidInput.of("body", "is required: {keyword, reply, event, numbers?, argument?, help?, optIn?}");
        }
        for (String field : body.keySet()) {
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a field of a keyword program"
                        + dev.dripline.json.FieldNames.nearest(field, FIELDS).map(n -> "; did you mean " + n + "?").orElse("")
                        + " (keyword, numbers, argument, reply, event, help, optIn, topic)"));
            }
        }
        String keyword = null;
        if (!(body.get("keyword") instanceof String k) || k.isBlank()) {
            errors.add(new FieldError("keyword", "is required: one word of letters or digits, at most 20"));
        } else {
            keyword = KeywordRules.normalize(k);
            if (!KEYWORD.matcher(keyword).matches()) {
                errors.add(new FieldError("keyword", "must be one word of letters or digits, at most 20"));
            } else if (KeywordRules.isDefault(keyword)) {
                errors.add(new FieldError("keyword", "'" + keyword + "' is a consent or help keyword (STOP, START, HELP and their other forms,"
                        + " 退订, T, TD, 停止, 是, Y ...) and cannot be a program's"));
            } else if (rules.rule(keyword).isPresent()) {
                errors.add(new FieldError("keyword", "'" + keyword + "' is one of DRIPLINE_KEYWORDS; remove it there first"));
            }
        }
        List<String> numbers = new ArrayList<>();
        Object n = body.get("numbers");
        if (n != null) {
            if (!(n instanceof List<?> list)) {
                errors.add(new FieldError("numbers", "must be a list of phone numbers in E.164 (+15551234567); leave it out for every number"));
            } else if (list.size() > 100) {
                errors.add(new FieldError("numbers", "has " + list.size() + " numbers; at most 100"));
            } else {
                Set<String> seen = new LinkedHashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    String field = "numbers[" + i + "]";
                    if (!(list.get(i) instanceof String text)) {
                        errors.add(new FieldError(field, "must be a phone number in E.164"));
                        continue;
                    }
                    try {
                        seen.add(PhoneNumber.parse(text, null, field).e164());
                    } catch (InvalidInput bad) {
                        errors.addAll(bad.errors());
                    }
                }
                numbers.addAll(seen);
            }
        }
        KeywordProgram.Argument argument = null;
        Object a = body.get("argument");
        if (a != null) {
            if (!(a instanceof Map<?, ?> arg)) {
                errors.add(new FieldError("argument", "must be {name, pattern}"));
            } else {
                for (Object f : arg.keySet()) {
                    if (!"name".equals(f) && !"pattern".equals(f)) {
                        errors.add(new FieldError("argument." + f, "is not a field of argument (name, pattern)"));
                    }
                }
                String name = arg.get("name") instanceof String s ? s : null;
                String pattern = arg.get("pattern") instanceof String s ? s : null;
                if (name == null || !ARGUMENT_NAME.matcher(name).matches()) {
                    errors.add(new FieldError("argument.name", "is required: a letter or _, then letters, digits or _ (at most 40), such as lot"));
                }
                if (pattern == null || pattern.isBlank() || pattern.length() > 200) {
                    errors.add(new FieldError("argument.pattern", "is required: a regular expression of at most 200 characters, such as ^[0-9]{4}$"));
                } else {
                    try {
                        com.google.re2j.Pattern.compile(pattern);
                    } catch (com.google.re2j.PatternSyntaxException e) {
                        errors.add(new FieldError("argument.pattern", "is not a regular expression RE2 can compile (RE2 syntax, matched in"
                                + " linear time: no backreferences or lookaround): " + e.getDescription()));
                        pattern = null;
                    }
                }
                argument = name != null && pattern != null ? new KeywordProgram.Argument(name, pattern) : null;
            }
        }
        String reply = null;
        if (!(body.get("reply") instanceof String r) || r.isBlank()) {
            errors.add(new FieldError("reply", "is required: the answer's text"));
        } else if (r.length() > 1600) {
            errors.add(new FieldError("reply", "has " + r.length() + " characters; at most 1600"));
        } else {
            reply = r;
            if (a == null && ARGUMENT_PLACEHOLDER.matcher(r).find()) {
                errors.add(new FieldError("reply", "uses {{argument}} but the program takes no argument"));
            } else {
                String checked = ARGUMENT_PLACEHOLDER.matcher(r).replaceAll("{{event.argument}}");
                List<String> unknown = new Template(checked).unknownVariables();
                if (!unknown.isEmpty()) {
                    errors.add(new FieldError("reply", "has unknown placeholders " + unknown
                            + "; use {{argument}}, {{event.<name>}}, {{attributes.<name>}}, {{firstName|fallback}}, {{brand}}"));
                }
            }
        }
        String event = null;
        if (!(body.get("event") instanceof String e) || !EVENT_NAME.matcher(e).matches()) {
            errors.add(new FieldError("event", "is required: 1-100 letters, digits, _ . : -"));
        } else {
            event = e;
        }
        String help = null;
        Object h = body.get("help");
        if (h != null) {
            if (!(h instanceof String text) || text.isBlank() || text.length() > 1600) {
                errors.add(new FieldError("help", "must be a text of 1-1600 characters"));
            } else if (a == null) {
                errors.add(new FieldError("help", "answers a bad argument; this program takes no argument"));
            } else {
                help = text;
            }
        }
        KeywordProgram.OptIn optIn = null;
        Object o = body.get("optIn");
        if (o != null) {
            if (!(o instanceof Map<?, ?> opt) || !(opt.get("confirm") instanceof Boolean confirm) || opt.size() != 1) {
                errors.add(new FieldError("optIn", "must be {\"confirm\": true} (or false)"));
            } else {
                optIn = new KeywordProgram.OptIn(confirm);
            }
        }
        String topic = null;
        Object t = body.get("topic");
        if (t != null) {
            if (!(t instanceof String name)) {
                errors.add(new FieldError("topic", "must be a topic name, one of " + String.join(", ", topics.names()) + " (DRIPLINE_TOPICS)"));
            } else {
                try {
                    topic = topics.resolve(name, "marketing", "topic");
                } catch (InvalidInput unknown) {
                    errors.addAll(unknown.errors());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new KeywordProgram(null, keyword, numbers, argument, reply, event, help, optIn, null, null, topic);
    }

    private static String stripTrailingPunctuation(String s) {
        String out = s;
        while (!out.isEmpty() && ".!?,;".indexOf(out.charAt(out.length() - 1)) >= 0) {
            out = out.substring(0, out.length() - 1);
        }
        return out.strip();
    }

    private static String e164OrAsIs(String number) {
        if (number == null) {
            return "";
        }
        try {
            return PhoneNumber.parse(number, null, "to").e164();
        } catch (InvalidInput notANumber) {
            return number.strip();
        }
    }

    private static Map<String, AttributeValue> item(KeywordProgram p) {
        return Map.of(PK, s(PROGRAMS), SK, s(p.id()), "updatedAt", s(p.updatedAt().toString()), "program", s(Json.write(p)));
    }

    private static KeywordProgram program(Map<String, AttributeValue> item) {
        return Json.read(item.get("program").s(), KeywordProgram.class);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
