package dev.dripline.engines;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A DynamoDB call's shape for a trace: the operation, the table, the key's family (the key value
 * up to its first {@code #}, or its first three characters) and, for updates and queries, the
 * expression, so that calls of one kind add up whatever item they touched.
 */
final class CallShape {

    private CallShape() {
    }

    static String of(String operation, DynamoDbRequest request) {
        String op = Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
        if (request instanceof GetItemRequest r) {
            return op + " " + r.tableName() + " " + family(r.key());
        }
        if (request instanceof PutItemRequest r) {
            return op + " " + r.tableName() + " " + (r.conditionExpression() == null ? "" : "if " + r.conditionExpression());
        }
        if (request instanceof UpdateItemRequest r) {
            return op + " " + r.tableName() + " " + family(r.key()) + " " + r.updateExpression();
        }
        if (request instanceof DeleteItemRequest r) {
            return op + " " + r.tableName() + " " + family(r.key());
        }
        if (request instanceof QueryRequest r) {
            return op + " " + r.tableName() + (r.indexName() == null ? "" : "." + r.indexName()) + " " + r.keyConditionExpression();
        }
        if (request instanceof TransactWriteItemsRequest r) {
            StringBuilder b = new StringBuilder(op);
            r.transactItems().forEach(i -> {
                if (i.put() != null) {
                    b.append(" put:").append(i.put().tableName());
                } else if (i.update() != null) {
                    b.append(" update:").append(i.update().tableName()).append(' ').append(family(i.update().key()));
                } else if (i.conditionCheck() != null) {
                    b.append(" check:").append(i.conditionCheck().tableName());
                } else if (i.delete() != null) {
                    b.append(" delete:").append(i.delete().tableName());
                }
            });
            return b.toString();
        }
        if (request instanceof BatchGetItemRequest r) {
            return op + " " + new TreeMap<>(r.requestItems()).keySet();
        }
        if (request instanceof BatchWriteItemRequest r) {
            return op + " " + new TreeMap<>(r.requestItems()).keySet();
        }
        return op;
    }

    private static String family(Map<String, AttributeValue> key) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(key).forEach((name, value) -> {
            String v = value.s() != null ? value.s() : value.n() != null ? "N" : "?";
            int hash = v.indexOf('#');
            b.append(b.length() == 0 ? "" : ",").append(name).append('=').append(hash > 0 ? v.substring(0, hash + 1) : v.substring(0, Math.min(3, v.length())));
        });
        return b.toString();
    }
}
