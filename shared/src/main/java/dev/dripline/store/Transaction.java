package dev.dripline.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A DynamoDB write transaction whose parts have names, so that the store classes read a refusal
 * by name ({@code outcome.refused("cap")}) instead of by the position of a cancellation reason.
 * Domain code never sees {@link TransactionCanceledException}: a store turns an {@link Outcome}
 * into the product's own answer.
 */
public final class Transaction {

    private final List<String> names = new ArrayList<>();
    private final List<TransactWriteItem> items = new ArrayList<>();

    public static Transaction of() {
        return new Transaction();
    }

    public Transaction put(String part, Put put) {
        return add(part, TransactWriteItem.builder().put(put).build());
    }

    public Transaction update(String part, Update update) {
        return add(part, TransactWriteItem.builder().update(update).build());
    }

    public Transaction delete(String part, Delete delete) {
        return add(part, TransactWriteItem.builder().delete(delete).build());
    }

    public Transaction check(String part, ConditionCheck check) {
        return add(part, TransactWriteItem.builder().conditionCheck(check).build());
    }

    public Transaction add(String part, TransactWriteItem item) {
        if (names.contains(part)) {
            throw new IllegalArgumentException("transaction part named twice: " + part);
        }
        names.add(part);
        items.add(item);
        return this;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Writes all parts or none. Refusals by a condition or a concurrent transaction come back as
     * an {@link Outcome}; any other cancellation (throttling, validation, a capacity limit) is an
     * infrastructure failure and is thrown as it came.
     */
    public Outcome write(DynamoDbClient dynamo) {
        if (items.isEmpty()) {
            return Outcome.COMMITTED;
        }
        if (items.size() == 1 && items.get(0).conditionCheck() == null) {
            return writeAlone(dynamo);
        }
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items));
            return Outcome.COMMITTED;
        } catch (TransactionCanceledException cancelled) {
            Outcome outcome = Outcome.of(cancelled, names);
            if (!outcome.onlyConditionsOrConflicts()) {
                throw cancelled;
            }
            return outcome;
        }
    }

    /**
     * One part alone: a single conditional write is as atomic as a transaction of one item and
     * costs half its write units (a transactional write is billed twice), so it is sent as a
     * PutItem, UpdateItem or DeleteItem; a failed condition answers as the part's refusal.
     */
    private Outcome writeAlone(DynamoDbClient dynamo) {
        TransactWriteItem item = items.get(0);
        try {
            if (item.put() != null) {
                Put p = item.put();
                dynamo.putItem(r -> {
                    r.tableName(p.tableName()).item(p.item()).conditionExpression(p.conditionExpression());
                    if (p.hasExpressionAttributeNames()) {
                        r.expressionAttributeNames(p.expressionAttributeNames());
                    }
                    if (p.hasExpressionAttributeValues()) {
                        r.expressionAttributeValues(p.expressionAttributeValues());
                    }
                });
            } else if (item.update() != null) {
                Update u = item.update();
                dynamo.updateItem(r -> {
                    r.tableName(u.tableName()).key(u.key()).updateExpression(u.updateExpression()).conditionExpression(u.conditionExpression());
                    if (u.hasExpressionAttributeNames()) {
                        r.expressionAttributeNames(u.expressionAttributeNames());
                    }
                    if (u.hasExpressionAttributeValues()) {
                        r.expressionAttributeValues(u.expressionAttributeValues());
                    }
                });
            } else {
                Delete d = item.delete();
                dynamo.deleteItem(r -> {
                    r.tableName(d.tableName()).key(d.key()).conditionExpression(d.conditionExpression());
                    if (d.hasExpressionAttributeNames()) {
                        r.expressionAttributeNames(d.expressionAttributeNames());
                    }
                    if (d.hasExpressionAttributeValues()) {
                        r.expressionAttributeValues(d.expressionAttributeValues());
                    }
                });
            }
            return Outcome.COMMITTED;
        } catch (ConditionalCheckFailedException refused) {
            return new Outcome(Map.of(names.get(0), Outcome.CONDITION));
        }
    }

    /** What became of a transaction: committed, or the reason code of each part by name. */
    public static final class Outcome {

        static final Outcome COMMITTED = new Outcome(Map.of());

        private static final String NONE = "None";
        private static final String CONDITION = "ConditionalCheckFailed";
        private static final String CONFLICT = "TransactionConflict";

        private final Map<String, String> codeByPart;

        private Outcome(Map<String, String> codeByPart) {
            this.codeByPart = codeByPart;
        }

        /**
         * Reads a cancellation whose items were sent in the order of {@code parts} (DynamoDB
         * answers one reason per item, in request order). Also for transactions written through
         * the Enhanced client.
         */
        public static Outcome of(TransactionCanceledException cancelled, List<String> parts) {
            Map<String, String> codes = new LinkedHashMap<>();
            List<CancellationReason> reasons = cancelled.hasCancellationReasons() ? cancelled.cancellationReasons() : List.of();
            for (int i = 0; i < parts.size(); i++) {
                String code = i < reasons.size() ? reasons.get(i).code() : null;
                codes.put(parts.get(i), code == null ? NONE : code);
            }
            if (reasons.isEmpty()) {
                // No reasons at all: nothing says a condition held, so it counts as a failure of its own.
                codes.put("?", "Unknown");
            }
            return new Outcome(codes);
        }

        public boolean committed() {
            return codeByPart.isEmpty();
        }

        /** True if this part's condition failed. */
        public boolean refused(String part) {
            return CONDITION.equals(codeByPart.get(part));
        }

        /** True if another transaction touched one of the items at the same time: try again. */
        public boolean conflicted() {
            return codeByPart.containsValue(CONFLICT);
        }

        /** The parts whose condition failed or that conflicted. */
        public Set<String> failedParts() {
            return codeByPart.entrySet().stream().filter(e -> !NONE.equals(e.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(LinkedHashSet::new));
        }

        public boolean onlyConditionsFailed() {
            return !committed() && codeByPart.values().stream().allMatch(c -> NONE.equals(c) || CONDITION.equals(c));
        }

        boolean onlyConditionsOrConflicts() {
            return codeByPart.values().stream().allMatch(c -> NONE.equals(c) || CONDITION.equals(c) || CONFLICT.equals(c));
        }

        @Override
        public String toString() {
            return committed() ? "committed" : "cancelled " + codeByPart;
        }
    }
}
