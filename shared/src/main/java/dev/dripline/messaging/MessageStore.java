package dev.dripline.messaging;

import dev.dripline.store.TableShape;
import dev.dripline.store.Transaction;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The messages table's one owner. Style (see {@code dev.dripline.store}): the Enhanced client maps
 * items ({@link MessageItem}) for reads; every write is a low-level request built here, since each
 * carries a condition and the creation must join other tables' transactions.
 *
 * <p>One item per message, inbound or outbound, holding its status, its status history and the
 * sender's dispatch claim. A message is created one way ({@link #createPut}); the status and
 * dispatch writes are {@link MessageStatusWrites}, the reads of many messages {@link MessageReads}.
 */
public final class MessageStore {

    static final String CONTACT_INDEX = "byContact";

    /** Dispatch states of an outbound message, set by the sender. */
    public static final String CLAIMED = "claimed";
    public static final String HANDED_OVER = "handed_over";
    public static final String UNKNOWN_OUTCOME = "unknown";
    /** An unknown outcome that nothing settled within the message's validity: no more lookups. */
    public static final String UNKNOWN_FOR_GOOD = "unknown_final";

    public static TableShape shape(String tableName) {
        return new TableShape(tableName, "id", null, List.of(new TableShape.Index(CONTACT_INDEX, "contactId", "createdAt")), "expiresAt");
    }

    private final DynamoDbTable<MessageItem> table;
    private final DynamoDbClient dynamo;
    private final String tableName;
    private final Duration retention;
    private final MessageReads reads;
    private final MessageStatusWrites writes;
    private volatile Transitions transitions = Transitions.NONE;

    /**
     * What happens to outbound messages, told once each: the hand-over to a provider (after the
     * claim, so once per message) and each real change of status (after the conditional write
     * that made it, so a duplicate or out-of-order receipt tells nothing). Analytics listens here.
     */
    public interface Transitions {
        void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at);

        /** As the five-argument one, saying whether the message is an MMS (it carries media). */
        default void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at, boolean mms) {
            handedOver(messageId, origin, segments, cost, at);
        }

        void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at);

        Transitions NONE = new Transitions() {
            @Override
            public void handedOver(String messageId, Origin origin, Integer segments, BigDecimal cost, Instant at) {
            }

            @Override
            public void statusChanged(String messageId, Origin origin, MessageStatus from, MessageStatus to, Instant at) {
            }
        };
    }

    public void onTransitions(Transitions listener) {
        this.transitions = listener;
    }

    public MessageStore(DynamoDbEnhancedClient client, DynamoDbClient dynamo, String tableName) {
        this(client, dynamo, tableName, SenderSettings.DEFAULT_BODY_RETENTION);
    }

    /**
     * @param retention how long a message item is kept after it was created: DynamoDB's TTL on
     *                  {@code expiresAt} removes the whole item (body, status, history) then.
     *                  Statistics must not be read from message items older than this.
     */
    public MessageStore(DynamoDbEnhancedClient client, DynamoDbClient dynamo, String tableName, Duration retention) {
        this.table = client.table(tableName, MessageItem.SCHEMA);
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.retention = retention;
        this.reads = new MessageReads(table, dynamo, tableName);
        this.writes = new MessageStatusWrites(dynamo, tableName, () -> transitions);
    }

    /** Stores a new message; fails if the id exists (ids are never reused). */
    public void create(Message m) {
        create(m, null, false);
    }

    /** Stores a new message with the fingerprint of the request that made it (Idempotency-Key). */
    public void create(Message m, String requestHash) {
        create(m, requestHash, false);
    }

    /**
     * Stores a new message, {@code acted} already when it is an inbound message with nothing to
     * act on: one write instead of a create and a later mark.
     */
    public void create(Message m, boolean acted) {
        create(m, null, acted);
    }

    private void create(Message m, String requestHash, boolean acted) {
        Put put = creation(m, requestHash, acted, false);
        dynamo.putItem(PutItemRequest.builder().tableName(put.tableName()).item(put.item())
                .conditionExpression(put.conditionExpression()).build());
    }

    /**
     * Adds the creation of a message to a transaction as its part {@code "message"} (a keyword's
     * reply written with the consent change it confirms). {@code optOutConfirmation} marks the one
     * reply the sender lets through to a number that opted out: the confirmation of that opt-out.
     */
    public void addCreate(Transaction tx, Message m, boolean optOutConfirmation) {
        tx.put("message", creation(m, null, false, optOutConfirmation));
    }

    /**
     * A message's creation as a low-level Put (condition: the id is new), for a transaction
     * with another table's write (a campaign send and its frequency-cap count).
     */
    public Put createPut(Message m) {
        return creation(m, null, false, false);
    }

    /** As {@link #createPut(Message)}, with the fingerprint of the request that made it (Idempotency-Key). */
    public Put createPut(Message m, String requestHash) {
        return creation(m, requestHash, false, false);
    }

    /** The one way a message item is made. */
    private Put creation(Message m, String requestHash, boolean acted, boolean optOutConfirmation) {
        MessageItem item = MessageItem.of(m, optOutConfirmation, expiry(m));
        item.requestHash = requestHash;
        item.acted = acted ? Boolean.TRUE : null;
        return Put.builder().tableName(tableName).item(MessageItem.SCHEMA.itemToMap(item, true))
                .conditionExpression("attribute_not_exists(id)").build();
    }

    public String tableName() {
        return tableName;
    }

    /** When TTL removes the item: its creation plus the retention (epoch seconds, as TTL wants). */
    private Long expiry(Message m) {
        return m.createdAt().plus(retention).getEpochSecond();
    }

    /** The TTL of a stored message (epoch seconds), for tests and operators. */
    public Optional<Long> expiresAt(String id) {
        return item(id).map(i -> i.expiresAt);
    }

    /** Marks an inbound message as acted on (its keyword handled), so a redelivery does not act again. */
    public void markActed(String id) {
        dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression("SET acted = :true").conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))).build());
    }

    /**
     * Replaces a message's media entries (an inbound MMS's, as they are fetched); false if the
     * message is gone (erased, expired).
     */
    public boolean updateMedia(String id, List<MessageMedia> media) {
        List<AttributeValue> items = media.stream()
                .map(m -> AttributeValue.fromM(MessageItem.MEDIA.itemToMap(MessageItem.MediaItem.of(m), true))).toList();
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET media = :media").conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":media", AttributeValue.fromL(items))).build());
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException gone) {
            return false;
        }
    }

    public boolean acted(String id) {
        return item(id).map(i -> Boolean.TRUE.equals(i.acted)).orElse(false);
    }

    /**
     * GDPR erasure of a contact's messages: bodies, both numbers and media entries removed, the items kept (with
     * status, category, segments, cost) for statistics. Idempotent.
     *
     * @return how many messages were scrubbed
     */
    public int scrub(String contactId) {
        List<String> ids = reads.allOf(contactId).stream().map(Message::id).toList();
        for (String id : ids) {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE body, #to, #from, media SET erased = :true")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(Map.of("#to", "to", "#from", "from"))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true))).build());
        }
        return ids.size();
    }

    /** A page of messages and the cursor of the next one (null on the last). */
    public record Page(List<Message> items, String nextCursor) {
    }

    public Optional<Message> get(String id) {
        return item(id).map(MessageItem::toMessage);
    }

    /** The fingerprint of the request that created the message, if it came with an Idempotency-Key. */
    public Optional<String> requestHash(String id) {
        return item(id).map(i -> i.requestHash);
    }

    /** The message and its dispatch state, for the sender. */
    public Optional<Dispatchable> dispatchable(String id) {
        return item(id).map(i -> new Dispatchable(i.toMessage(), i.dispatch, Boolean.TRUE.equals(i.optOutConfirmation),
                i.dispatchedAt == null ? null : Instant.parse(i.dispatchedAt), i.unknownSince == null ? null : Instant.parse(i.unknownSince),
                i.sentFrom));
    }

    /**
     * A message as the sender sees it: the message, whether a sender already took it, and
     * whether it is an opt-out confirmation (the one message allowed to a number that opted out).
     *
     * @param claimedAt    when the last provider call was claimed (just before it was made)
     * @param unknownSince when that call's outcome was found unknown; null otherwise
     * @param sentFrom     the sender number that call used (null: the provider's default)
     */
    public record Dispatchable(Message message, String dispatch, boolean optOutConfirmation, Instant claimedAt, Instant unknownSince,
                               String sentFrom) {

        public Dispatchable(Message message, String dispatch, boolean optOutConfirmation) {
            this(message, dispatch, optOutConfirmation, null, null, null);
        }
    }

    private Optional<MessageItem> item(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return Optional.ofNullable(table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id).build()).consistentRead(true).build()));
    }

    /** One page of a contact's conversation, oldest first; {@code cursor} is the previous page's. */
    public Page conversation(String contactId, int limit, String cursor) {
        return reads.conversation(contactId, limit, cursor);
    }

    /** {@code GET /v1/messages}: see {@link MessageReads#list}. */
    public dev.dripline.store.Page<Message> list(MessageFilter filter, int limit, String cursor) {
        return reads.list(filter, limit, cursor);
    }

    /** Every message of a contact, oldest first (the GDPR export). */
    public List<Message> allOf(String contactId) {
        return reads.allOf(contactId);
    }

    /** Outbound messages accepted and never taken by a sender (the local runtime's recovery). */
    public List<Message> acceptedAndUntaken() {
        return reads.acceptedAndUntaken();
    }

    /** Outbound messages a sender claimed and never recorded as handed over. */
    public List<Message> claimedNotHandedOver() {
        return reads.claimedNotHandedOver();
    }

    /** The contact's most recent outbound message with an origin created at or after {@code since}. */
    public Optional<String> latestWithOrigin(String contactId, Instant since) {
        return reads.latestWithOrigin(contactId, since);
    }

    /** Every message of a campaign (or of a broadcast, when {@code campaignId} is null): an operator's recount. */
    public List<Counted> scanOrigin(String campaignId, String broadcastId) {
        return reads.scanOrigin(campaignId, broadcastId);
    }

    /** Takes the message for one provider call; only one caller ever wins. */
    public boolean claim(String id, Instant now) {
        return writes.claim(id, now);
    }

    /**
     * Takes the message for one provider call as {@link #claim} does, only while it is
     * {@code accepted} or {@code unknown}, and answers the stored message as the claim left it;
     * empty if another caller took it, it was settled, or it does not exist.
     */
    public Optional<Message> claimAndRead(String id, Instant now) {
        return writes.claimAndRead(id, now).map(item -> MessageItem.SCHEMA.mapToItem(item).toMessage());
    }

    /** Gives the claim back after a provider said, before taking it, that it did not send. */
    public void release(String id) {
        writes.release(id);
    }

    /** Records a provider's acceptance: its id, parts and price, and the status {@code queued}. */
    public void handedOver(String id, String provider, String providerMessageId, Integer parts, BigDecimal cost, Instant at) {
        writes.handedOver(id, provider, providerMessageId, parts, cost, at);
    }

    /** Records that the provider call's outcome is unknown (a timeout after the request left). */
    public void outcomeUnknown(String id, String provider, Instant at) {
        writes.outcomeUnknown(id, provider, at);
    }

    /** Records an unknown outcome with the sender number used and the reason. */
    public void outcomeUnknown(String id, String provider, String from, Instant at, String reason) {
        writes.outcomeUnknown(id, provider, from, at, reason);
    }

    /** Gives an unknown outcome's claim back once the provider's records prove the call sent nothing. */
    public boolean notSentAfterAll(String id) {
        return writes.notSentAfterAll(id);
    }

    /** Ends the lookups of an unknown outcome that nothing settled within the message's validity. */
    public boolean unknownForGood(String id, Instant at, String reason) {
        return writes.unknownForGood(id, at, reason);
    }

    /**
     * Records a status report once per {@code reportKey}, made current only if it ranks above the
     * current one; false if the message does not exist or this report was already recorded.
     */
    public boolean recordStatus(String id, MessageStatus status, String errorCode, Instant at, String reportKey) {
        return writes.recordStatus(id, status, errorCode, at, reportKey);
    }

    /** Adds one to an engagement counter ({@code clicks}, {@code replies}, {@code optOuts}) of an outbound message. */
    public Optional<Engaged> engage(String id, String counter, Instant at) {
        return writes.engage(id, counter, at);
    }

    /** An engagement counted on a message: its origin and how many of that kind it has now. */
    public record Engaged(String messageId, Origin origin, long count) {
    }

    /** A message as analytics recount it: the message, whether it was handed to a provider, its engagement counters. */
    public record Counted(Message message, boolean handedOver, long clicks, long replies, long optOuts) {
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }
}
