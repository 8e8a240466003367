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
    void aPartNamedTwiceIsAMistake() {
        Transaction tx = Transaction.of().put("p", Put.builder().build());
        assertThatThrownBy(() -> tx.put("p", Put.builder().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p");
    }
}
