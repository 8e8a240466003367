package dev.dripline.audience;

import dev.dripline.ids.Ids;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactStore;
import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.json.Json;
import dev.dripline.store.PageCursor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Finding contacts: by phone (the claim: one GetItem), by tag (a Query of the tag's memberships
 * in the audience table, then BatchGetItem of the contacts), by segment. A segment whose filter
 * requires a tag ({@code {tag}} alone or inside {@code all}) is a Query of that tag with the rest
 * of the filter applied to those contacts; every other filter (any-of, attributes only) is a
 * paged Scan with a FilterExpression, whose cost grows with the whole table, not the segment.
 *
 * <p>A page holds at most {@code limit} items and may hold fewer (even none) while
 * {@code nextCursor} is not null: each request reads a bounded number of items; follow the
 * cursor until it is null.
 */
public final class Audience {

    /** Items read per request before a page is returned short (bounds a request's time). */
    private static final int MAX_READ_PER_REQUEST = 10_000;
    private static final int READ_PAGE = 500;

    public record Page(List<Contact> items, String nextCursor) {
    }

    private record Keyed(Contact contact, Map<String, AttributeValue> key) {
    }

    private record Batch(List<Keyed> items, Map<String, AttributeValue> lastKey, int read) {
    }

    private interface Source {
        Batch next(Map<String, AttributeValue> start);
    }

    private final DynamoDbClient dynamo;
    private final ContactStore contacts;
    private final String table;
    private final Clock clock;

    public Audience(DynamoDbClient dynamo, ContactStore contacts, String audienceTable, Clock clock) {
        this.dynamo = dynamo;
        this.contacts = contacts;
        this.table = audienceTable;
        this.clock = clock;
    }

    /** {@code GET /v1/contacts?phone=&tag=&segment=}: every given criterion must hold. */
    public Page find(String phone, String tag, String segmentId, int limit, String cursor) {
        List<SegmentFilter> parts = new ArrayList<>();
        if (tag != null && !tag.isBlank()) {
            parts.add(new SegmentFilter.HasTag(tag.trim()));
        }
        if (segmentId != null && !segmentId.isBlank()) {
            parts.add(filterOf(segment(segmentId.trim())));
        }
        SegmentFilter filter = parts.isEmpty() ? null : parts.size() == 1 ? parts.get(0) : new SegmentFilter.All(parts);
        if (phone != null && !phone.isBlank()) {
            String e164 = PhoneNumber.parse(phone.trim().startsWith("+") ? phone.trim() : "+" + phone.trim(), null, "phone").e164();
            List<Contact> one = contacts.byPhone(e164).filter(c -> filter == null || filter.matches(c)).map(List::of).orElse(List.of());
            return new Page(one, null);
        }
        if (filter == null) {
            return all(limit, cursor);
        }
        return matching(filter, limit, cursor);
    }

    /** Every contact, a page at a time (a paged Scan of the contacts table, in its order). */
    public Page all(int limit, String cursor) {
        return collect(s -> {
            ContactStore.Scanned page = contacts.scan(null, Map.of(), Map.of(), s, READ_PAGE);
            List<Keyed> keyed = page.items().stream().map(c -> new Keyed(c, Map.of("id", AttributeValue.fromS(c.id())))).toList();
            return new Batch(keyed, page.lastKey(), READ_PAGE);
        }, c -> true, limit, "contacts", PageCursor.start(cursor, "contacts", Set.of("id")));
    }

    /** The contacts a filter selects, a page at a time. */
    public Page matching(SegmentFilter filter, int limit, String cursor) {
        String tag = filter.requiredTag();
        // Records print their components: the filter itself names the list its cursors belong to.
        String list = "contacts?filter=" + filter;
        if (tag != null) {
            Map<String, AttributeValue> start = PageCursor.start(cursor, list, Set.of(AudienceTable.PK, AudienceTable.SK));
            if (start != null && !AudienceTable.tagKey(tag).equals(start.get(AudienceTable.PK).s())) {
                throw InvalidInput.of("cursor", "belongs to another list");
            }
            return collect(s -> tagPage(tag, s), filter::matches, limit, list, start);
        }
        Map<String, AttributeValue> start = PageCursor.start(cursor, list, Set.of("id"));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String expression = filter.expression(names, values);
        return collect(s -> {
            ContactStore.Scanned page = contacts.scan(expression, names, values, s, READ_PAGE);
            List<Keyed> keyed = page.items().stream().map(c -> new Keyed(c, Map.of("id", AttributeValue.fromS(c.id())))).toList();
            return new Batch(keyed, page.lastKey(), READ_PAGE);
        }, filter::matches, limit, list, start);
    }

    private Batch tagPage(String tag, Map<String, AttributeValue> start) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(AudienceTable.tagKey(tag))))
                .limit(READ_PAGE);
        if (start != null) {
            q.exclusiveStartKey(start);
        }
        QueryResponse response = dynamo.query(q.build());
        List<String> ids = response.items().stream().map(i -> i.get(AudienceTable.SK).s()).toList();
        Map<String, Contact> byId = new HashMap<>();
        contacts.contacts(ids).forEach(c -> byId.put(c.id(), c));
        List<Keyed> keyed = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            Contact c = byId.get(item.get(AudienceTable.SK).s());
            if (c != null) {
                keyed.add(new Keyed(c, Map.of(AudienceTable.PK, item.get(AudienceTable.PK), AudienceTable.SK, item.get(AudienceTable.SK))));
            }
        }
        Map<String, AttributeValue> last = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null;
        return new Batch(keyed, last, response.items().size());
    }

    private static Page collect(Source source, Predicate<Contact> keep, int limit, String list, Map<String, AttributeValue> start) {
        List<Contact> out = new ArrayList<>();
        int read = 0;
        Map<String, AttributeValue> at = start;
        while (true) {
            Batch batch = source.next(at);
            read += batch.read();
            for (Keyed k : batch.items()) {
                if (keep.test(k.contact())) {
                    out.add(k.contact());
                    if (out.size() == limit) {
                        boolean lastOfAll = batch.lastKey() == null && k == batch.items().get(batch.items().size() - 1);
                        return new Page(out, lastOfAll ? null : PageCursor.encode(list, k.key()));
                    }
                }
            }
            at = batch.lastKey();
            if (at == null) {
                return new Page(out, null);
            }
            if (read >= MAX_READ_PER_REQUEST) {
                return new Page(out, PageCursor.encode(list, at));
            }
        }
    }

    /** {@code POST /v1/segments}: validates the filter and saves it. */
    public Segment createSegment(String name, Object filterJson) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 128) {
            errors.add(new FieldError("name", "is required, 1 to 128 characters"));
        }
        SegmentFilter filter = null;
        if (filterJson == null) {
            errors.add(new FieldError("filter", "is required"));
        } else {
            try {
                filter = SegmentFilter.parse(filterJson);
            } catch (InvalidInput e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        Segment segment = new Segment(Ids.next("seg", clock), name.trim(), filterJson, evaluation(filter), clock.instant());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(AudienceTable.PK, AttributeValue.fromS(segment.id()));
        item.put(AudienceTable.SK, AttributeValue.fromS("segment"));
        item.put("name", AttributeValue.fromS(segment.name()));
        item.put("filter", AttributeValue.fromS(Json.write(filterJson)));
        item.put("createdAt", AttributeValue.fromS(segment.createdAt().toString()));
        dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
        return segment;
    }

    /** Whether a contact is in a saved segment now (segment-triggered campaigns). */
    public boolean inSegment(String segmentId, Contact contact) {
        return SegmentFilter.parse(segment(segmentId).filter()).matches(contact);
    }

    /** The contacts that have an attribute, a page of 200 at a time (date-triggered campaigns). */
    public Page withAttribute(String attribute, String cursor) {
        return matching(SegmentFilter.parse(Map.of("attribute", attribute, "exists", true)), 200, cursor);
    }

    public Segment segment(String id) {
        if (id == null || !id.startsWith("seg_")) {
            throw new NotFound("segment", id);
        }
        GetItemResponse response = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(AudienceTable.PK, AttributeValue.fromS(id), AudienceTable.SK, AttributeValue.fromS("segment"))));
        if (!response.hasItem() || response.item().isEmpty()) {
            throw new NotFound("segment", id);
        }
        return toSegment(response.item());
    }

    /**
     * {@code GET /v1/segments}: every saved segment, a page at a time: a paged Scan of the
     * audience table for {@code sk = segment} (bounded per request: the table also holds tag
     * memberships, so a page may come back short with a cursor).
     */
    public dev.dripline.store.Page<Segment> segments(int limit, String cursor) {
        return dev.dripline.store.PagedRead.page("segments", Set.of(AudienceTable.PK, AudienceTable.SK), limit, cursor, start -> {
            var scan = software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder().tableName(table)
                    .filterExpression("sk = :s").expressionAttributeValues(Map.of(":s", AttributeValue.fromS("segment")))
                    .limit(dev.dripline.store.PagedRead.READ);
            if (start != null) {
                scan.exclusiveStartKey(start);
            }
            return dev.dripline.store.PagedRead.Batch.of(dynamo.scan(scan.build()));
        }, Audience::toSegment);
    }

    private static Segment toSegment(Map<String, AttributeValue> item) {
        Object filter = Json.read(item.get("filter").s(), Object.class);
        return new Segment(item.get(AudienceTable.PK).s(), item.get("name").s(), filter, evaluation(SegmentFilter.parse(filter)),
                Instant.parse(item.get("createdAt").s()));
    }

    public Page segmentContacts(String id, int limit, String cursor) {
        return matching(filterOf(segment(id)), limit, cursor);
    }

    private static SegmentFilter filterOf(Segment segment) {
        return SegmentFilter.parse(segment.filter());
    }

    private static String evaluation(SegmentFilter filter) {
        String tag = filter.requiredTag();
        return tag == null ? "scan" : "query:" + AudienceTable.tagKey(tag);
    }
}
