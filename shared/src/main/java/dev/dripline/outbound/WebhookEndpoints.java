package dev.dripline.outbound;

import dev.dripline.ids.Ids;
import dev.dripline.errors.Conflict;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.store.PageCursor;
import dev.dripline.store.TableShape;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Integrators' webhook endpoints and their delivery log, in one table: the endpoints under the
 * partition {@value #ENDPOINTS} (a handful: listed with one Query), each endpoint's deliveries
 * under its id, newest last by their time-ordered ids, expiring after {@link #DELIVERY_RETENTION}.
 * The signing secret is returned once, at creation or rotation, and never listed.
 */
public final class WebhookEndpoints {

    /** The events there are; {@code *} subscribes to all of them and to campaign steps' own webhook events. */
    public static final List<String> EVENT_TYPES = List.of("message.inbound", "message.status", "contact.opted_in", "contact.opted_out",
            "campaign.answered");
    public static final String ALL = "*";
    public static final int MAX_ENDPOINTS = 20;
    public static final Duration DELIVERY_RETENTION = Duration.ofDays(30);
    public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    public static final Duration MAX_OVERLAP = Duration.ofDays(7);
    /** How long one instance reuses the endpoint list when publishing; edits through this instance refresh it at once. */
    static final Duration CACHE = Duration.ofSeconds(15);

    static final String PK = "pk";
    static final String SK = "sk";
    static final String ENDPOINTS = "endpoints";
    static final String DELIVERY = "delivery#";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, PK, SK, List.of(), "expiresAt");
    }

    /** An endpoint as stored, with its secrets: for signing, never for the API. */
    public record Stored(String id, URI url, List<String> eventTypes, String description, boolean enabled, String secret,
                         String previousSecret, Instant previousSecretUntil, Instant createdAt, Instant updatedAt, Instant secretRotatedAt) {

        public boolean wants(String type) {
            return enabled && (eventTypes.contains(type) || eventTypes.contains(ALL));
        }

        /** The secrets to sign with at {@code now}: the current one, and the previous one during its overlap. */
        public List<String> signingSecrets(Instant now) {
            return previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)
                    ? List.of(secret, previousSecret) : List.of(secret);
        }

        public WebhookEndpoint view(Instant now) {
            boolean overlapping = previousSecretUntil != null && now.isBefore(previousSecretUntil);
            return new WebhookEndpoint(id, url.toString(), eventTypes, description, enabled, createdAt, updatedAt, secretRotatedAt,
                    overlapping ? previousSecretUntil : null);
        }
    }

    /** A new endpoint and its secret, shown this once. */
    public record Created(WebhookEndpoint endpoint, String secret) {
    }

    /** A rotated secret, shown this once; the old one also signs until {@code previousSecretExpiresAt}. */
    public record Rotated(String id, String secret, Instant previousSecretExpiresAt) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** A delivery as stored: the event's JSON, as it is sent, kept for replays. */
    public record StoredDelivery(WebhookDelivery delivery, String event) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final WebhookAddress policy;
    private final WebhookAddress.Resolver resolver;
    private final Clock clock;
    private volatile List<Stored> cached;
    private volatile Instant cachedAt = Instant.MIN;
    private final WebhookDeliveryLog log;

    public WebhookEndpoints(DynamoDbClient dynamo, String table, WebhookAddress policy, WebhookAddress.Resolver resolver, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.policy = policy;
        this.resolver = resolver;
        this.clock = clock;
        this.log = new WebhookDeliveryLog(dynamo, table, clock);
    }

    public WebhookAddress policy() {
        return policy;
    }

    WebhookAddress.Resolver resolver() {
        return resolver;
    }

    /** {@code POST /v1/webhook-endpoints {url, eventTypes, description?, enabled?}}. */
    public Created create(Map<String, Object> body) {
        WebhookEndpointInput in = WebhookEndpointInput.read(body, true, policy, resolver);
        if (all().size() >= MAX_ENDPOINTS) {
            throw new Conflict("there are already " + MAX_ENDPOINTS + " webhook endpoints: delete one, or subscribe one to more event types");
        }
        Instant now = clock.instant();
        Stored s = new Stored(Ids.next("we", clock), in.url, in.eventTypes, in.description, in.enabled == null || in.enabled,
                newSecret(), null, null, now, now, null);
        dynamo.putItem(r -> r.tableName(table).item(item(s)).conditionExpression("attribute_not_exists(pk)"));
        cached = null;
        return new Created(s.view(now), s.secret());
    }

    public WebhookEndpoint get(String id) {
        return stored(id).orElseThrow(() -> new NotFound("webhook endpoint", id)).view(clock.instant());
    }

    /** An endpoint with its secrets, read consistently (a delivery signs with what is current). */
    public Optional<Stored> stored(String id) {
        if (id == null || !id.startsWith("we_")) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(ENDPOINTS), SK, s(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(endpoint(item));
    }

    public Page<WebhookEndpoint> list(int limit, String cursor) {
        Instant now = clock.instant();
        QueryResponse page = dynamo.query(r -> {
            r.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(ENDPOINTS))).limit(limit);
            if (cursor != null && !cursor.isBlank()) {
                r.exclusiveStartKey(PageCursor.decode(cursor, "webhook-endpoints", Set.of(PK, SK)));
            }
        });
        return new Page<>(page.items().stream().map(i -> endpoint(i).view(now)).toList(), next(page, "webhook-endpoints"));
    }

    /**
     * {@code PATCH} ({@code replace} false: only the fields given change) or {@code PUT}
     * ({@code replace} true: url and eventTypes required, description dropped if absent).
     */
    public WebhookEndpoint update(String id, Map<String, Object> body, boolean replace) {
        WebhookEndpointInput in = WebhookEndpointInput.read(body, replace, policy, resolver);
        Stored old = stored(id).orElseThrow(() -> new NotFound("webhook endpoint", id));
        Instant now = clock.instant();
        Stored s = new Stored(id, in.url != null ? in.url : old.url(), in.eventTypes != null ? in.eventTypes : old.eventTypes(),
                replace || in.descriptionGiven ? in.description : old.description(), in.enabled != null ? in.enabled : old.enabled(),
                old.secret(), old.previousSecret(), old.previousSecretUntil(), old.createdAt(), now, old.secretRotatedAt());
        putOver(old, s);
        return s.view(now);
    }

    /** Removes an endpoint: queued deliveries to it are cancelled when they fall due; its log expires with time. */
    public void delete(String id) {
        if (stored(id).isEmpty()) {
            throw new NotFound("webhook endpoint", id);
        }
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of(PK, s(ENDPOINTS), SK, s(id))));
        cached = null;
    }

    /**
     * A new secret; the old one keeps signing too (a second {@code v1} in the signature header)
     * for {@code overlap} (default {@link #DEFAULT_OVERLAP}, at most {@link #MAX_OVERLAP}; {@code PT0S}
     * retires it at once), so receivers can switch without losing an event.
     */
    public Rotated rotate(String id, Map<String, Object> body) {
        Duration overlap = DEFAULT_OVERLAP;
        List<FieldError> errors = new ArrayList<>();
        if (body != null) {
            for (Map.Entry<String, Object> e : body.entrySet()) {
                if (!e.getKey().equals("overlap")) {
                    errors.add(new FieldError(e.getKey(), "is not a field of this request (it takes only overlap)"));
                } else if (!(e.getValue() instanceof String text)) {
                    errors.add(new FieldError("overlap", "must be an ISO-8601 duration such as PT24H"));
                } else {
                    try {
                        overlap = Duration.parse(text.trim());
                        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
                            errors.add(new FieldError("overlap", "must be from PT0S to " + MAX_OVERLAP));
                        }
                    } catch (DateTimeParseException ex) {
                        errors.add(new FieldError("overlap", "must be an ISO-8601 duration such as PT24H"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Stored old = stored(id).orElseThrow(() -> new NotFound("webhook endpoint", id));
        Instant now = clock.instant();
        Instant until = overlap.isZero() ? null : now.plus(overlap);
        Stored s = new Stored(id, old.url(), old.eventTypes(), old.description(), old.enabled(), newSecret(),
                until == null ? null : old.secret(), until, old.createdAt(), now, now);
        putOver(old, s);
        return new Rotated(id, s.secret(), until);
    }

    /** Enabled endpoints that take {@code type}, from a list this instance reuses for {@link #CACHE}. */
    public List<Stored> subscribed(String type) {
        return all().stream().filter(e -> e.wants(type)).toList();
    }

    /** Whether any endpoint is enabled (publishers skip building events nobody takes). */
    public boolean any() {
        return all().stream().anyMatch(Stored::enabled);
    }

    private List<Stored> all() {
        List<Stored> list = cached;
        Instant now = clock.instant();
        if (list == null || now.isAfter(cachedAt.plus(CACHE)) || now.isBefore(cachedAt)) {
            List<Stored> fresh = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = dynamo.query(r -> {
                    r.tableName(table).keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s(ENDPOINTS)));
                    if (from != null) {
                        r.exclusiveStartKey(from);
                    }
                });
                page.items().forEach(i -> fresh.add(endpoint(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            list = List.copyOf(fresh);
            cached = list;
            cachedAt = now;
        }
        return list;
    }

    /** Records a delivery about to be queued; its id. */
    public String recordDelivery(String endpointId, String eventId, String eventType, String event, String replayOf) {
        return log.record(endpointId, eventId, eventType, event, replayOf);
    }

    /** Appends an attempt to a delivery's log and sets its status. */
    public void recordAttempt(String endpointId, String deliveryId, WebhookDelivery.Attempt attempt, String status) {
        log.recordAttempt(endpointId, deliveryId, attempt, status);
    }

    public Optional<StoredDelivery> delivery(String endpointId, String deliveryId) {
        return log.delivery(endpointId, deliveryId);
    }

    /** An endpoint's deliveries, newest first. */
    public Page<WebhookDelivery> deliveries(String endpointId, int limit, String cursor) {
        if (stored(endpointId).isEmpty()) {
            throw new NotFound("webhook endpoint", endpointId);
        }
        return log.page(endpointId, limit, cursor);
    }

    private void putOver(Stored old, Stored s) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item(s)).conditionExpression("updatedAt = :was")
                    .expressionAttributeValues(Map.of(":was", s(old.updatedAt().toString()))));
        } catch (ConditionalCheckFailedException raced) {
            throw new Conflict("the webhook endpoint " + s.id() + " changed meanwhile: read it again and retry");
        }
        cached = null;
    }

    /** The next page's cursor, opened only on the same {@code list} (PageCursor signs which list it belongs to). */
    static String next(QueryResponse page, String list) {
        return page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? PageCursor.encode(list, page.lastEvaluatedKey()) : null;
    }

    private static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Map<String, AttributeValue> item(Stored e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(ENDPOINTS));
        item.put(SK, s(e.id()));
        item.put("url", s(e.url().toString()));
        item.put("eventTypes", AttributeValue.fromL(e.eventTypes().stream().map(WebhookEndpoints::s).toList()));
        if (e.description() != null) {
            item.put("description", s(e.description()));
        }
        item.put("enabled", AttributeValue.fromBool(e.enabled()));
        item.put("secret", s(e.secret()));
        if (e.previousSecret() != null) {
            item.put("previousSecret", s(e.previousSecret()));
            item.put("previousSecretUntil", s(e.previousSecretUntil().toString()));
        }
        item.put("createdAt", s(e.createdAt().toString()));
        item.put("updatedAt", s(e.updatedAt().toString()));
        if (e.secretRotatedAt() != null) {
            item.put("secretRotatedAt", s(e.secretRotatedAt().toString()));
        }
        return item;
    }

    private static Stored endpoint(Map<String, AttributeValue> i) {
        return new Stored(i.get(SK).s(), URI.create(i.get("url").s()), i.get("eventTypes").l().stream().map(AttributeValue::s).toList(),
                str(i, "description"), Boolean.TRUE.equals(i.get("enabled").bool()), i.get("secret").s(), str(i, "previousSecret"),
                time(i, "previousSecretUntil"), time(i, "createdAt"), time(i, "updatedAt"), time(i, "secretRotatedAt"));
    }

    static String str(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? null : v.s();
    }

    static Instant time(Map<String, AttributeValue> i, String name) {
        String v = str(i, name);
        return v == null ? null : Instant.parse(v);
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
