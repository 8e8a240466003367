package dev.dripline.messaging;


import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;


/**
 * The sender's and the receipts' writes to a message: the dispatch claim and each status change,
 * every one a conditional UpdateItem, so a status never moves backwards and a message is never
 * sent twice. Each real transition is told to the store's {@link MessageStore.Transitions}.
 */
final class MessageStatusWrites {

    static final String CLAIMED = MessageStore.CLAIMED;
    static final String HANDED_OVER = MessageStore.HANDED_OVER;
    static final String UNKNOWN_OUTCOME = MessageStore.UNKNOWN_OUTCOME;
    static final String UNKNOWN_FOR_GOOD = MessageStore.UNKNOWN_FOR_GOOD;

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final java.util.function.Supplier<MessageStore.Transitions> transitions;

    MessageStatusWrites(DynamoDbClient dynamo, String tableName, java.util.function.Supplier<MessageStore.Transitions> transitions) {
        this.dynamo = dynamo;
        this.tableName = tableName;
        this.transitions = transitions;
    }

    /**
     * Takes the message for one provider call. Only one caller ever wins, however many workers
     * race or however often the queue redelivers: the claim stays after the call.
     */
    boolean claim(String id, Instant now) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET dispatch = :claimed, dispatchedAt = :now")
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(dispatch)")
                    .expressionAttributeValues(Map.of(":claimed", s(CLAIMED), ":now", s(now.toString())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    /** {@link #claim}, while the status is accepted or unknown, answering the item as claimed; empty if not taken. */
    Optional<Map<String, AttributeValue>> claimAndRead(String id, Instant now) {
        try {
            return Optional.of(dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET dispatch = :claimed, dispatchedAt = :now")
                    .conditionExpression("attribute_exists(id) AND attribute_not_exists(dispatch) AND #status IN (:accepted, :unknown)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":claimed", s(CLAIMED), ":now", s(now.toString()),
                            ":accepted", s(MessageStatus.ACCEPTED.wire()), ":unknown", s(MessageStatus.UNKNOWN.wire())))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes());
        } catch (ConditionalCheckFailedException taken) {
            return Optional.empty();
        }
    }

    /** Gives the claim back after a provider said, before taking it, that it did not send. */
    void release(String id) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE dispatch")
                    .conditionExpression("dispatch = :claimed")
                    .expressionAttributeValues(Map.of(":claimed", s(CLAIMED)))
                    .build());
        } catch (ConditionalCheckFailedException notOurs) {
            // Someone else already settled it: nothing to give back.
        }
    }

    /**
     * Records a provider's acceptance: its id, parts and price, and the status {@code queued}.
     * One conditional write in the usual case (the status still below {@code queued}); when a
     * receipt already moved it on, the dispatch fields and the history entry are written apart.
     */
    void handedOver(String id, String provider, String providerMessageId, Integer parts, BigDecimal cost, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":dispatch", s(HANDED_OVER));
        values.put(":provider", s(provider));
        values.put(":pid", s(providerMessageId));
        StringBuilder set = new StringBuilder("SET dispatch = :dispatch, provider = :provider, providerMessageId = :pid");
        if (parts != null) {
            set.append(", #segments = :parts");
            values.put(":parts", AttributeValue.fromN(parts.toString()));
        }
        if (cost != null) {
            set.append(", #cost = :cost");
            values.put(":cost", AttributeValue.fromN(cost.toPlainString()));
        }
        String reportKey = "sender:" + providerMessageId;
        Map<String, AttributeValue> together = new HashMap<>(values);
        together.put(":change", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                "status", s(MessageStatus.QUEUED.wire()), "at", s(at.toString()))))));
        together.put(":empty", AttributeValue.fromL(List.of()));
        together.put(":report", AttributeValue.fromSs(List.of(reportKey)));
        together.put(":reportKey", s(reportKey));
        together.put(":status", s(MessageStatus.QUEUED.wire()));
        together.put(":rank", AttributeValue.fromN(Integer.toString(MessageStatus.QUEUED.rank())));
        String all = set + ", #status = :status, statusRank = :rank, history = list_append(if_not_exists(history, :empty), :change)";
        Map<String, String> allNames = new HashMap<>(Map.of("#status", "status"));
        Map<String, String> setNames = names(set);
        if (setNames != null) {
            allNames.putAll(setNames);
        }
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression(all + " ADD reports :report")
                    .conditionExpression("attribute_exists(id) AND NOT contains(reports, :reportKey) AND statusRank < :rank")
                    .expressionAttributeNames(allNames)
                    .expressionAttributeValues(together)
                    .returnValues(ReturnValue.ALL_OLD).build()).attributes();
            Map<String, AttributeValue> merged = new HashMap<>(old);
            if (parts != null) {
                merged.put("segments", AttributeValue.fromN(parts.toString()));
            }
            if (cost != null) {
                merged.put("cost", AttributeValue.fromN(cost.toPlainString()));
            }
            tellHandedOver(id, merged, at);
            if (old.containsKey("status") && MessageStatus.UNKNOWN.wire().equals(old.get("status").s())) {
                // A send after a lookup proved the first one lost, or the lookup found it: unknown is settled.
                tellStatusChanged(id, old, MessageStatus.UNKNOWN, MessageStatus.QUEUED, at);
            }
            return;
        } catch (ConditionalCheckFailedException movedOn) {
            // A receipt came first (or this was recorded already): the paths below.
        }
        // A receipt came first: the dispatch fields and the history entry in one write, the status left as the receipt made it.
        Map<String, AttributeValue> historyValues = new HashMap<>(values);
        historyValues.put(":change", together.get(":change"));
        historyValues.put(":empty", together.get(":empty"));
        historyValues.put(":report", together.get(":report"));
        historyValues.put(":reportKey", together.get(":reportKey"));
        try {
            Map<String, AttributeValue> now = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression(set + ", history = list_append(if_not_exists(history, :empty), :change) ADD reports :report")
                    .conditionExpression("attribute_exists(id) AND NOT contains(reports, :reportKey)")
                    .expressionAttributeNames(setNames)
                    .expressionAttributeValues(historyValues)
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            tellHandedOver(id, now, at);
            return;
        } catch (ConditionalCheckFailedException recordedAlready) {
            // This hand-over's history entry is there already: the dispatch fields alone.
        }
        Map<String, AttributeValue> now = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression(set.toString())
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeNames(setNames)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW).build()).attributes();
        tellHandedOver(id, now, at);
    }

    private void tellStatusChanged(String id, Map<String, AttributeValue> old, MessageStatus from, MessageStatus to, Instant at) {
        try {
            transitions.get().statusChanged(id, MessageItem.origin(old), from, to, at);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageStore.class).error("message {}: status {} not counted ({})", id, to.wire(),
                    e.toString());
        }
    }

    private void tellHandedOver(String id, Map<String, AttributeValue> item, Instant at) {
        try {
            transitions.get().handedOver(id, MessageItem.origin(item), item.containsKey("segments") ? Integer.valueOf(item.get("segments").n()) : null,
                    item.containsKey("cost") ? new BigDecimal(item.get("cost").n()) : null, at, item.containsKey("media"));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageStore.class).error("message {}: hand-over not counted ({})", id, e.toString());
        }
    }

    /** Records that the provider call's outcome is unknown (a timeout after the request left). */
    void outcomeUnknown(String id, String provider, Instant at) {
        outcomeUnknown(id, provider, null, at, "outcome_unknown");
    }

    /**
     * Records that the provider call's outcome is unknown (a timeout, a reset, a 500 after the
     * request left): the dispatch state that makes the sender look it up instead of sending, and
     * the status {@code unknown} with {@code reason} in the history (only over {@code accepted}).
     *
     * @param from the sender number the call used, for the lookup; null: the provider's default
     */
    void outcomeUnknown(String id, String provider, String from, Instant at, String reason) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":unknown", s(UNKNOWN_OUTCOME), ":provider", s(provider),
                ":at", s(at.toString())));
        String set = "SET dispatch = :unknown, provider = :provider, unknownSince = :at";
        if (from != null) {
            set += ", sentFrom = :from";
            values.put(":from", s(from));
        }
        dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                .updateExpression(set)
                .conditionExpression("attribute_exists(id)")
                .expressionAttributeValues(values)
                .build());
        recordStatus(id, MessageStatus.UNKNOWN, reason, at, "sender:unknown:" + at);
    }

    /**
     * Gives an unknown outcome's claim back once the provider's records prove the call sent
     * nothing; only one caller wins, so only one sends again.
     */
    boolean notSentAfterAll(String id) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("REMOVE dispatch, unknownSince")
                    .conditionExpression("dispatch = :unknown")
                    .expressionAttributeValues(Map.of(":unknown", s(UNKNOWN_OUTCOME)))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
    }

    /**
     * Ends the lookups of an unknown outcome that nothing settled within the message's validity:
     * the status stays {@code unknown} (a late receipt still moves it), the history says why.
     */
    boolean unknownForGood(String id, Instant at, String reason) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET dispatch = :final")
                    .conditionExpression("dispatch = :unknown")
                    .expressionAttributeValues(Map.of(":unknown", s(UNKNOWN_OUTCOME), ":final", s(UNKNOWN_FOR_GOOD)))
                    .build());
        } catch (ConditionalCheckFailedException settled) {
            return false;
        }
        recordStatus(id, MessageStatus.UNKNOWN, reason, at, "sender:unknown-final");
        return true;
    }

    /**
     * Records a status report once per {@code reportKey}: appended to the history, and made the
     * current status only if it ranks above the current one (a late {@code sent} after
     * {@code delivered} stays in the history only).
     *
     * @return false if the message does not exist or this report was already recorded
     */
    boolean recordStatus(String id, MessageStatus status, String errorCode, Instant at, String reportKey) {
        Map<String, AttributeValue> change = new HashMap<>();
        change.put("status", s(status.wire()));
        change.put("at", s(at.toString()));
        if (errorCode != null) {
            change.put("errorCode", s(errorCode));
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":change", AttributeValue.fromL(List.of(AttributeValue.fromM(change))));
        values.put(":empty", AttributeValue.fromL(List.of()));
        values.put(":report", AttributeValue.fromSs(List.of(reportKey)));
        values.put(":reportKey", s(reportKey));
        values.put(":status", s(status.wire()));
        values.put(":rank", AttributeValue.fromN(Integer.toString(status.rank())));
        String notSeen = "attribute_exists(id) AND NOT contains(reports, :reportKey)";
        String append = "history = list_append(if_not_exists(history, :empty), :change)";
        Map<String, AttributeValue> advanceValues = new HashMap<>(values);
        String advance = "SET #status = :status, statusRank = :rank, " + append;
        // Unknown ranks with accepted and replaces only it; its reason stays in the history, since
        // whatever settles it later would otherwise show that reason as its own error.
        String forward = status == MessageStatus.UNKNOWN ? " AND #status = :accepted" : " AND statusRank < :rank";
        if (status == MessageStatus.UNKNOWN) {
            advanceValues.put(":accepted", s(MessageStatus.ACCEPTED.wire()));
        } else if (errorCode != null) {
            advance += ", errorCode = :error";
            advanceValues.put(":error", s(errorCode));
        }
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression(advance + " ADD reports :report")
                    .conditionExpression(notSeen + forward)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(advanceValues)
                    .returnValues(ReturnValue.ALL_OLD).build()).attributes();
            tellStatusChanged(id, old, MessageStatus.fromWire(old.get("status").s()), status, at);
            return true;
        } catch (ConditionalCheckFailedException notForward) {
            // Not a step forward (or not new): keep it in the history only, once.
        }
        values.remove(":status");
        values.remove(":rank");
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("SET " + append + " ADD reports :report")
                    .conditionExpression(notSeen)
                    .expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException seenOrMissing) {
            return false;
        }
    }

    /**
     * Adds one to an engagement counter of an outbound message ({@code clicks}, {@code replies},
     * {@code optOuts}) and answers its origin and the new count (1: the first); empty when the
     * message is gone (expired) or has no origin.
     */
    Optional<MessageStore.Engaged> engage(String id, String counter, Instant at) {
        if (!List.of("clicks", "replies", "optOuts").contains(counter)) {
            throw new IllegalArgumentException("no engagement counter " + counter);
        }
        try {
            Map<String, AttributeValue> now = dynamo.updateItem(UpdateItemRequest.builder().tableName(tableName).key(key(id))
                    .updateExpression("ADD #c :one SET lastEngagedAt = :at")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(Map.of("#c", counter))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":at", s(at.toString())))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            Origin origin = MessageItem.origin(now);
            return origin == null ? Optional.empty() : Optional.of(new MessageStore.Engaged(id, origin, Long.parseLong(now.get(counter).n())));
        } catch (ConditionalCheckFailedException gone) {
            return Optional.empty();
        }
    }

    /** SEGMENTS is a DynamoDB reserved word; name the attributes that could ever collide. */
    private static Map<String, String> names(CharSequence expression) {
        Map<String, String> names = new HashMap<>();
        for (String n : List.of("segments", "cost")) {
            if (expression.toString().contains("#" + n)) {
                names.put("#" + n, n);
            }
        }
        return names.isEmpty() ? null : names;
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", s(id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
