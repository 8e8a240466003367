package dev.dripline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dripline.engines.Engines;
import dev.dripline.engines.EnginesExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

@ExtendWith(EnginesExtension.class)
class TransactionTest {

    private static String table(DynamoDbClient dynamo) {
        String name = "tx-" + UUID.randomUUID();
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S)));
        return name;
    }

    private static Put create(String table, String id) {
        return Put.builder().tableName(table).item(Map.of("id", AttributeValue.fromS(id)))
                .conditionExpression("attribute_not_exists(id)").build();
    }

    @Test
    void aRefusedPartIsNamedAndNothingIsWritten(Engines engines) {
        DynamoDbClient dynamo = engines.dynamoDb();
        String table = table(dynamo);
        assertThat(Transaction.of().put("first", create(table, "a")).write(dynamo).committed()).isTrue();

        Transaction.Outcome outcome = Transaction.of().put("fresh", create(table, "b")).put("existing", create(table, "a")).write(dynamo);

        assertThat(outcome.committed()).isFalse();
        assertThat(outcome.refused("existing")).isTrue();
        assertThat(outcome.refused("fresh")).isFalse();
        assertThat(outcome.failedParts()).containsExactly("existing");
        assertThat(outcome.onlyConditionsFailed()).isTrue();
        assertThat(dynamo.getItem(r -> r.tableName(table).key(Map.of("id", AttributeValue.fromS("b")))).hasItem()).isFalse();
    }

    @Test
    void aTransactionOfOnePartIsOneConditionalWriteAtHalfTheUnits(Engines engines) {
        // Before: a TransactWriteItems of one item, billed two write units per KB instead of one.
        dev.dripline.engines.ClientCalls calls = new dev.dripline.engines.ClientCalls();
        DynamoDbClient dynamo = calls.counting(engines.dynamoDb());
        String table = table(dynamo);
        calls.reset();
        assertThat(Transaction.of().put("message", create(table, "a")).write(dynamo).committed()).isTrue();
        Transaction.Outcome again = Transaction.of().put("message", create(table, "a")).write(dynamo);
        assertThat(again.committed()).isFalse();
        assertThat(again.refused("message")).isTrue();
        assertThat(again.failedParts()).containsExactly("message");
        Transaction.Outcome update = Transaction.of().update("count", software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table).key(Map.of("id", AttributeValue.fromS("a"))).updateExpression("ADD n :one")
                .conditionExpression("attribute_not_exists(n) OR n < :cap")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":cap", AttributeValue.fromN("1"))).build()).write(dynamo);
        assertThat(update.committed()).isTrue();
        assertThat(Transaction.of().update("count", software.amazon.awssdk.services.dynamodb.model.Update.builder()
                .tableName(table).key(Map.of("id", AttributeValue.fromS("a"))).updateExpression("ADD n :one")
                .conditionExpression("attribute_not_exists(n) OR n < :cap")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":cap", AttributeValue.fromN("1"))).build())
                .write(dynamo).refused("count")).isTrue();

        assertThat(calls.snapshot()).doesNotContainKey("DynamoDB.TransactWriteItems").containsEntry("DynamoDB.PutItem", 2L)
                .containsEntry("DynamoDB.UpdateItem", 2L);
        assertThat(calls.capacityUnits().get("write")).as("one unit per small item written (refusals bill one too)").isLessThanOrEqualTo(4.0);
    }

    @Test
    void aPartNamedTwiceIsAMistake() {
        Transaction tx = Transaction.of().put("p", Put.builder().build());
        assertThatThrownBy(() -> tx.put("p", Put.builder().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p");
    }
}
