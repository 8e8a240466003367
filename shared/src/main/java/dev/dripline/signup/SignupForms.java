// Low-level client throughout: the forms and their waiting confirmations are items of the keywords table (form#, join#).
package dev.dripline.signup;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import dev.dripline.consent.ConsentProof;
import dev.dripline.consent.ConsentStatus;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.ids.Ids;
import dev.dripline.json.FieldNames;
import dev.dripline.json.Json;
import dev.dripline.keywords.KeywordRules;
import dev.dripline.logging.Masked;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.store.Page;
import dev.dripline.store.PageCursor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Sign-up forms ({@code /v1/signup-forms}) and what their hosted pages ({@code /join/{id}}) do
 * with a submission: check every field at once, count it against the abuse limits, find or
 * create the contact, make it pending (never lifting an opt-out, never demoting an opt-in) and
 * text the double opt-in question. The person's "Y" is handled by the keyword engine, which asks
 * {@link #joinProof} for the ledger's evidence: form, version, the consent text shown, IP, user
 * agent and both times.
 *
 * <p>Stored in the keywords table (list growth: keyword programs, forms, requests waiting for
 * their Y): forms under {@value #FORMS}, a submission waiting for its Y under
 * {@code join#<contactId>}/{@code form} for {@link #JOIN_WAIT}, the limits' counts under {@code limit#}.
 */
public final class SignupForms {

    private static final Logger LOG = LoggerFactory.getLogger(SignupForms.class);

    public static final Duration JOIN_WAIT = Duration.ofDays(30);
    static final String FORMS = "forms";
    private static final String JOIN = "join#";
    private static final String JOIN_SK = "form";
    private static final Set<String> BODY_FIELDS = Set.of("name", "consentText", "fields", "keyword");
    private static final Set<String> FIELD_KEYS = Set.of("name", "label", "required");
    /** The page's own inputs, which a listed field may not take. */
    private static final Set<String> RESERVED = Set.of("phone", "consent", "version");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
    private static final Pattern KEYWORD = Pattern.compile("[\\p{L}\\p{N}]{1,20}");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+$");
    private static final Map<String, String> LABELS = Map.of("firstName", "First name", "lastName", "Last name", "email", "Email",
            "zip", "ZIP code");
    private static final int MAX_FIELDS = 20;
    private static final int MAX_VALUE = 200;

    private final DynamoDbClient dynamo;
    private final String table;
    private final SignupSettings settings;
    private final SignupLimits limits;
    private final Contacts contacts;
    private final Supplier<Messages> messages;
    private final String brand;
    private final Clock clock;

    public SignupForms(DynamoDbClient dynamo, String table, SignupSettings settings, Contacts contacts, Supplier<Messages> messages,
                       String brand, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.settings = settings;
        this.limits = new SignupLimits(dynamo, table, settings, clock);
        this.contacts = contacts;
        this.messages = messages;
        this.brand = brand;
        this.clock = clock;
    }

    public SignupSettings settings() {
        return settings;
    }

    // The API --------------------------------------------------------------------------------------

    /** {@code POST /v1/signup-forms}. */
    public SignupForm create(Map<String, Object> body) {
        SignupForm in = read(body);
        Instant now = clock.instant();
        SignupForm f = new SignupForm(Ids.next("sf", clock), in.name(), in.consentText(), in.fields(), in.keyword(), 1, now, now);
        dynamo.putItem(r -> r.tableName(table).item(item(f)).conditionExpression("attribute_not_exists(pk)"));
        return f;
    }

    public SignupForm get(String id) {
        return find(id).orElseThrow(() -> new NotFound("signup form", id));
    }

    public Optional<SignupForm> find(String id) {
        if (id == null || !id.startsWith("sf_") || id.length() > 64) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(FORMS), "sk", s(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Json.read(item.get("form").s(), SignupForm.class));
    }

    public Page<SignupForm> list(int limit, String cursor) {
        QueryResponse page = dynamo.query(r -> {
            r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(FORMS))).limit(limit);
            if (cursor != null && !cursor.isBlank()) {
                r.exclusiveStartKey(PageCursor.decode(cursor, "signup-forms", Set.of("pk", "sk")));
            }
        });
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? PageCursor.encode("signup-forms", page.lastEvaluatedKey()) : null;
        return new Page<>(page.items().stream().map(i -> Json.read(i.get("form").s(), SignupForm.class)).toList(), next);
    }

    /** {@code PUT /v1/signup-forms/{id}}: the whole form, as for create; a new version. */
    public SignupForm replace(String id, Map<String, Object> body) {
        SignupForm in = read(body);
        SignupForm old = get(id);
        SignupForm f = new SignupForm(id, in.name(), in.consentText(), in.fields(), in.keyword(), old.version() + 1, old.createdAt(),
                clock.instant());
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(f)).conditionExpression("version = :was")
                    .expressionAttributeValues(Map.of(":was", n(old.version()))));
        } catch (ConditionalCheckFailedException raced) {
            throw new dev.dripline.errors.Conflict("the signup form " + id + " changed meanwhile: read it again and retry");
        }
        return f;
    }

    public void delete(String id) {
        get(id);
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s(FORMS), "sk", s(id))));
    }

    // The page ---------------------------------------------------------------------------------------

    /** What the page's POST carried, and where from. */
    public record Submission(Map<String, String> values, String ip, String userAgent) {
    }

    /** What a valid submission did; the page says the same in every case, so it tells nobody a number's consent. */
    public enum Outcome {
        /** The double opt-in question was sent. */
        ASKED,
        /** Already opted in: nothing to ask. */
        ALREADY_OPTED_IN,
        /** Opted out: nothing is sent (the person texts START to opt back in). */
        OPTED_OUT
    }

    /**
     * Handles the page's POST.
     *
     * @throws InvalidInput naming every field that is wrong, in words for the person filling the form; nothing stored
     * @throws dev.dripline.errors.RateLimited when a limit is reached; nothing stored
     * @throws NotFound when the form does not exist
     */
    public Outcome submit(String formId, Submission submission) {
        SignupForm form = get(formId);
        Instant submittedAt = clock.instant();
        Map<String, String> values = submission.values();
        List<FieldError> errors = new ArrayList<>();
        PhoneNumber phone = phone(values.get("phone"), errors);
        Map<String, String> given = new LinkedHashMap<>();
        for (SignupForm.Field field : form.fields()) {
            String value = Optional.ofNullable(values.get(field.name())).map(String::strip).orElse("");
            if (value.isEmpty()) {
                if (field.required()) {
                    errors.add(new FieldError(field.name(), "Enter your " + field.label().toLowerCase(Locale.ROOT) + "."));
                }
            } else if (value.length() > MAX_VALUE) {
                errors.add(new FieldError(field.name(), field.label() + " is too long: at most " + MAX_VALUE + " characters."));
            } else if (field.name().equals("email") && !EMAIL.matcher(value).matches()) {
                errors.add(new FieldError(field.name(), "Enter an email address such as name@example.com."));
            } else {
                given.put(field.name(), value);
            }
        }
        String consent = Optional.ofNullable(values.get("consent")).map(v -> v.strip().toLowerCase(Locale.ROOT)).orElse("");
        if (!Set.of("yes", "on", "true", "1").contains(consent)) {
            errors.add(new FieldError("consent", "Tick the box to agree to receive texts."));
        } else if (values.get("version") != null && !values.get("version").strip().equals(Integer.toString(form.version()))) {
            errors.add(new FieldError("consent", "The terms changed while the page was open: read them again and tick the box."));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        limits.take(phone.e164(), submission.ip(), PhoneNumberUtil.getInstance().getCountryCodeForRegion(phone.country()));

        Contact contact = contacts.byPhone(phone.e164()).orElseGet(() -> contacts.upsert(input(phone.e164(), given), "signup-form").contact());
        ConsentStatus current = contact.consent();
        if (current == ConsentStatus.OPTED_OUT || current == ConsentStatus.OPTED_IN) {
            LOG.info("signup form {}: contact {} ({}) is {}; nothing sent", formId, contact.id(), Masked.phone(phone.e164()), current.wire());
            return current == ConsentStatus.OPTED_OUT ? Outcome.OPTED_OUT : Outcome.ALREADY_OPTED_IN;
        }
        // Kept before the consent change, so a Y that comes at once finds it.
        remember(contact.id(), phone.e164(), form, given, submission, submittedAt);
        Map<String, Object> asked = new LinkedHashMap<>();
        asked.put("signupForm", form.id());
        asked.put("formVersion", form.version());
        asked.put("consentText", form.consentText());
        asked.put("submittedAt", submittedAt.toString());
        contacts.changeConsent(contact.id(), ConsentStatus.PENDING, new ConsentProof("web_form", Json.write(asked), submission.ip(),
                submission.userAgent()), "signup-form:" + form.id(), submittedAt, s -> s == ConsentStatus.NONE, tx -> { });
        ConsentStatus now = contacts.get(contact.id()).map(Contact::consent).orElse(current);
        if (now != ConsentStatus.PENDING) {
            // A STOP (or an opt-in) landed meanwhile: it wins.
            forget(contact.id());
            return now == ConsentStatus.OPTED_OUT ? Outcome.OPTED_OUT : Outcome.ALREADY_OPTED_IN;
        }
        messages.get().submit(new OneOffMessage(phone.e164(), null, question(form), "transactional", null, null), "signup-form:" + form.id());
        LOG.info("signup form {}: contact {} ({}) asked to confirm", formId, contact.id(), Masked.phone(phone.e164()));
        return Outcome.ASKED;
    }

    /** The double opt-in question, answered with Y (or YES, 是). */
    public String question(SignupForm form) {
        return brand + ": Reply Y to confirm you want texts from us (you signed up on our " + form.name()
                + " form). Msg&data rates may apply. Reply STOP to opt out.";
    }

    /**
     * The ledger's evidence for the confirmation of a form submission, if one is waiting: form,
     * version, consent text shown, IP, user agent, submission and confirmation times.
     */
    public Optional<ConsentProof> joinProof(String contactId, String confirmation, Instant confirmedAt) {
        Optional<Map<String, AttributeValue>> waiting = waiting(contactId);
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = waiting.get();
        Map<String, Object> proof = new LinkedHashMap<>();
        proof.put("signupForm", item.get("formId").s());
        proof.put("formName", item.get("formName").s());
        proof.put("formVersion", Integer.parseInt(item.get("formVersion").n()));
        proof.put("consentText", item.get("consentText").s());
        if (item.containsKey("keyword")) {
            proof.put("keyword", item.get("keyword").s());
        }
        proof.put("ip", text(item, "ip"));
        proof.put("userAgent", text(item, "userAgent"));
        proof.put("submittedAt", item.get("submittedAt").s());
        proof.put("confirmation", confirmation);
        proof.put("confirmedAt", confirmedAt.toString());
        return Optional.of(new ConsentProof("web_form", Json.write(proof), text(item, "ip"), text(item, "userAgent")));
    }

    /** The submission was confirmed: its fields go onto the contact (the handset proved the number) and its record goes. */
    public void joined(String contactId) {
        waiting(contactId).ifPresent(item -> {
            Map<String, String> given = new LinkedHashMap<>();
            Json.read(item.get("fields").s(), Map.class).forEach((k, v) -> given.put(String.valueOf(k), String.valueOf(v)));
            if (!given.isEmpty()) {
                contacts.upsert(input(item.get("phone").s(), given), "signup-form:" + item.get("formId").s());
            }
        });
        forget(contactId);
    }

    // Internals ------------------------------------------------------------------------------------

    private PhoneNumber phone(String typed, List<FieldError> errors) {
        if (typed == null || typed.isBlank()) {
            errors.add(new FieldError("phone", "Enter your mobile phone number."));
            return null;
        }
        try {
            PhoneNumber phone = PhoneNumber.parse(typed, settings.countries().get(0), "phone");
            if (!settings.allows(phone.country())) {
                errors.add(new FieldError("phone", "We can only text numbers in " + String.join(", ", settings.countries()) + "."));
                return null;
            }
            return phone;
        } catch (InvalidInput bad) {
            String why = bad.errors().isEmpty() ? "is not a number" : bad.errors().get(0).message();
            errors.add(new FieldError("phone", "Enter a mobile number we can text: this one " + why + "."));
            return null;
        }
    }

    private static ContactInput input(String e164, Map<String, String> given) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            if (!LABELS.containsKey(k) || k.equals("zip")) {
                attributes.put(k, v);
            }
        });
        return new ContactInput(e164, null, given.get("firstName"), given.get("lastName"), given.get("email"), null,
                attributes.isEmpty() ? null : attributes, null, null);
    }

    private void remember(String contactId, String e164, SignupForm form, Map<String, String> given, Submission submission, Instant at) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s(JOIN + contactId));
        item.put("sk", s(JOIN_SK));
        item.put("phone", s(e164));
        item.put("formId", s(form.id()));
        item.put("formName", s(form.name()));
        item.put("formVersion", n(form.version()));
        item.put("consentText", s(form.consentText()));
        if (form.keyword() != null) {
            item.put("keyword", s(form.keyword()));
        }
        item.put("fields", s(Json.write(given)));
        item.put("ip", s(submission.ip() == null ? "" : submission.ip()));
        item.put("userAgent", s(submission.userAgent() == null ? "" : truncate(submission.userAgent(), 500)));
        item.put("submittedAt", s(at.toString()));
        item.put("expiresAt", n(at.plus(JOIN_WAIT).getEpochSecond()));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    private Optional<Map<String, AttributeValue>> waiting(String contactId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(JOIN + contactId), "sk", s(JOIN_SK)))).item();
        if (item == null || item.isEmpty() || Long.parseLong(item.get("expiresAt").n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    private void forget(String contactId) {
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s(JOIN + contactId), "sk", s(JOIN_SK))));
    }

    /** Reads and checks a form, naming every offending field at once. */
    SignupForm read(Map<String, Object> body) {
        if (body == null) {
            throw InvalidInput.of("body", "is required: {name, consentText, fields?, keyword?}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String field : body.keySet()) {
            if (!BODY_FIELDS.contains(field)) {
                errors.add(new FieldError(field, "is not a field of a signup form"
                        + FieldNames.nearest(field, BODY_FIELDS).map(n -> "; did you mean " + n + "?").orElse("")
                        + " (name, consentText, fields, keyword)"));
            }
        }
        String name = null;
        if (!(body.get("name") instanceof String n) || n.isBlank()) {
            errors.add(new FieldError("name", "is required: the form's name, at most 100 characters"));
        } else if (n.strip().length() > 100) {
            errors.add(new FieldError("name", "has " + n.strip().length() + " characters; at most 100"));
        } else {
            name = n.strip();
        }
        String consentText = null;
        if (!(body.get("consentText") instanceof String c) || c.isBlank()) {
            errors.add(new FieldError("consentText", "is required: the consent wording shown next to the checkbox (what they agree to"
                    + " receive, how often, that rates may apply, STOP to opt out), at most 2000 characters"));
        } else if (c.strip().length() > 2000) {
            errors.add(new FieldError("consentText", "has " + c.strip().length() + " characters; at most 2000"));
        } else {
            consentText = c.strip();
        }
        List<SignupForm.Field> fields = fields(body.get("fields"), errors);
        String keyword = null;
        Object k = body.get("keyword");
        if (k != null) {
            String word = k instanceof String text ? text.strip().toUpperCase(Locale.ROOT) : "";
            if (!KEYWORD.matcher(word).matches()) {
                errors.add(new FieldError("keyword", "must be one word of letters or digits, at most 20, such as JOIN"));
            } else if (KeywordRules.isDefault(word)) {
                errors.add(new FieldError("keyword", "'" + word + "' is a consent or help keyword (STOP, START, HELP ...)"));
            } else {
                keyword = word;
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return new SignupForm(null, name, consentText, fields, keyword, 0, null, null);
    }

    private static List<SignupForm.Field> fields(Object given, List<FieldError> errors) {
        List<SignupForm.Field> fields = new ArrayList<>();
        if (given == null) {
            return fields;
        }
        if (!(given instanceof List<?> list)) {
            errors.add(new FieldError("fields", "must be a list of field names (\"firstName\", \"lastName\", \"email\", \"zip\", ...)"
                    + " or of {name, label?, required?}"));
            return fields;
        }
        if (list.size() > MAX_FIELDS) {
            errors.add(new FieldError("fields", "has " + list.size() + " fields; at most " + MAX_FIELDS));
            return fields;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "fields[" + i + "]";
            Object f = list.get(i);
            String name;
            String label = null;
            boolean required = false;
            if (f instanceof String text) {
                name = text;
            } else if (f instanceof Map<?, ?> map) {
                for (Object key : map.keySet()) {
                    if (!FIELD_KEYS.contains(String.valueOf(key))) {
                        errors.add(new FieldError(at + "." + key, "is not a field of a form field (name, label, required)"));
                    }
                }
                name = map.get("name") instanceof String text ? text : null;
                Object l = map.get("label");
                if (l != null && (!(l instanceof String text) || text.isBlank() || text.length() > 100)) {
                    errors.add(new FieldError(at + ".label", "must be a text of 1-100 characters"));
                } else if (l != null) {
                    label = ((String) l).strip();
                }
                Object r = map.get("required");
                if (r != null && !(r instanceof Boolean)) {
                    errors.add(new FieldError(at + ".required", "must be true or false"));
                } else if (r != null) {
                    required = (Boolean) r;
                }
            } else {
                errors.add(new FieldError(at, "must be a field name or {name, label?, required?}"));
                continue;
            }
            String nameAt = f instanceof String ? at : at + ".name";
            if (name == null || !FIELD_NAME.matcher(name).matches()) {
                errors.add(new FieldError(nameAt, "must be a name of letters, digits or _ starting with a letter (at most 40),"
                        + " such as firstName, lastName, email, zip"));
            } else if (RESERVED.contains(name)) {
                errors.add(new FieldError(nameAt, "'" + name + "' is the page's own input (phone, consent, version): leave it out"));
            } else if (!seen.add(name)) {
                errors.add(new FieldError(nameAt, "'" + name + "' is listed twice"));
            } else {
                fields.add(new SignupForm.Field(name, label != null ? label : LABELS.getOrDefault(name, name), required));
            }
        }
        return fields;
    }

    private static Map<String, AttributeValue> item(SignupForm f) {
        return Map.of("pk", s(FORMS), "sk", s(f.id()), "version", n(f.version()), "form", s(Json.write(f)));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null || v.s().isEmpty() ? null : v.s();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
