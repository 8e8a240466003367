package dev.dripline.store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * A table's physical shape: its keys, its indexes, its TTL attribute. Each store declares its
 * own; the local runtime and the tests create tables from them, and a test holds template.yaml
 * to the same shape.
 *
 * @param name        the table's name
 * @param partitionKey the partition key attribute (always a string here)
 * @param sortKey      the sort key attribute, or null
 * @param indexes      global secondary indexes
 * @param ttlAttribute the TTL attribute (epoch seconds), or null
 */
public record TableShape(String name, String partitionKey, String sortKey, List<Index> indexes, String ttlAttribute) {

    /** A global secondary index over string keys, projecting all attributes. */
    public record Index(String name, String partitionKey, String sortKey) {
    }

    public <T> DynamoDbTable<T> table(DynamoDbEnhancedClient client, TableSchema<T> schema) {
        return client.table(name, schema);
    }

    /** Creates the table if it does not exist (local runtime and tests; on AWS the template does). */
    public void createIfMissing(DynamoDbClient dynamo) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String a : keyAttributes()) {
            if (a != null && !seen.contains(a)) {
                seen.add(a);
                attributes.add(AttributeDefinition.builder().attributeName(a).attributeType(ScalarAttributeType.S).build());
            }
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keys(partitionKey, sortKey));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes.stream().map(i -> GlobalSecondaryIndex.builder()
                    .indexName(i.name())
                    .keySchema(keys(i.partitionKey(), i.sortKey()))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build()).toList());
        }
        try {
            dynamo.createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        if (ttlAttribute != null) {
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder().tableName(name)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(ttlAttribute).enabled(true).build())
                    .build());
        }
    }

    private List<String> keyAttributes() {
        List<String> all = new ArrayList<>();
        all.add(partitionKey);
        all.add(sortKey);
        for (Index i : indexes) {
            all.add(i.partitionKey());
            all.add(i.sortKey());
        }
        return all;
    }

    private static List<KeySchemaElement> keys(String partition, String sort) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(partition).keyType(KeyType.HASH).build());
        if (sort != null) {
            keys.add(KeySchemaElement.builder().attributeName(sort).keyType(KeyType.RANGE).build());
        }
        return keys;
    }
}
