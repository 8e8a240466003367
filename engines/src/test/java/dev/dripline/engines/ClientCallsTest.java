package dev.dripline.engines;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The benchmarks' counting client: calls by operation, capacity units as DynamoDB reports them, paginators page by page. */
class ClientCallsTest {

    @Test
    void countsCallsUnitsAndEveryPageOfAPaginator() {
        AmazonDynamoDBLocal local = DynamoDBEmbedded.create(true);
        try {
            ClientCalls calls = new ClientCalls();
            DynamoDbClient dynamo = calls.counting(local.dynamoDbClient());
            dynamo.createTable(t -> t.tableName("calls").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
            calls.reset();
            String big = "x".repeat(1500); // 2 write units per item (1 KB each)
            for (int i = 0; i < 5; i++) {
                String sk = "s" + i;
                dynamo.putItem(p -> p.tableName("calls").item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS(sk),
                        "v", AttributeValue.fromS(big))));
            }
            dynamo.getItem(g -> g.tableName("calls").key(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("s0")))
                    .consistentRead(true));
            long items = dynamo.queryPaginator(q -> q.tableName("calls").keyConditionExpression("pk = :a")
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("a"))).limit(2)).items().stream().count();

            assertThat(items).isEqualTo(5);
            assertThat(calls.snapshot()).containsEntry("DynamoDB.PutItem", 5L).containsEntry("DynamoDB.GetItem", 1L)
                    .as("3 pages of 2, 2 and 1 items (and the empty check DynamoDB may need)").containsKey("DynamoDB.Query");
            assertThat(calls.snapshot().get("DynamoDB.Query")).isBetween(3L, 4L);
            assertThat(calls.capacityUnits().get("write")).isEqualTo(10.0);
            assertThat(calls.capacityUnits().get("read")).isGreaterThanOrEqualTo(1.0 + 1.5);

            calls.reset();
            assertThat(calls.capacityUnits()).containsEntry("read", 0.0).containsEntry("write", 0.0);
        } finally {
            local.shutdownNow();
        }
    }
}
