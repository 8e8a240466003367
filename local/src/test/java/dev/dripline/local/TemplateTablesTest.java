package dev.dripline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dripline.Dripline;
import dev.dripline.Settings;
import dev.dripline.store.TableShape;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * template.yaml creates the tables on AWS; the core creates them locally from its own shapes.
 * This holds the two to the same keys, indexes and TTL, so what passes locally cannot fail on
 * AWS for a missing index or a different key.
 */
class TemplateTablesTest {

    private static final JsonNode TEMPLATE = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(new File("../template.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }

    @Test
    void everyTableOfTheCoreIsInTheTemplateWithTheSameShape() throws Exception {
        Settings.TableNames names = Settings.TableNames.withPrefix("");
        JsonNode env = TEMPLATE.path("Globals").path("Function").path("Environment").path("Variables");
        Set<String> seen = new HashSet<>();
        for (TableShape shape : Dripline.tables(names)) {
            String variable = "DRIPLINE_TABLE_" + shape.name().toUpperCase(Locale.ROOT);
            String logicalId = env.path(variable).asText(null);
            assertThat(logicalId).as("%s is set from a table resource in Globals", variable).isNotNull();
            JsonNode table = TEMPLATE.path("Resources").path(logicalId);
            assertThat(table.path("Type").asText()).as(logicalId).isEqualTo("AWS::DynamoDB::Table");
            JsonNode properties = table.path("Properties");

            assertThat(keys(properties.path("KeySchema"))).as("%s key schema", logicalId)
                    .isEqualTo(keys(shape.partitionKey(), shape.sortKey()));
            List<String> indexes = new ArrayList<>();
            for (JsonNode gsi : properties.path("GlobalSecondaryIndexes")) {
                indexes.add(gsi.path("IndexName").asText() + "=" + keys(gsi.path("KeySchema")));
                assertThat(gsi.path("Projection").path("ProjectionType").asText()).isEqualTo("ALL");
            }
            assertThat(indexes).as("%s indexes", logicalId).containsExactlyInAnyOrderElementsOf(
                    shape.indexes().stream().map(i -> i.name() + "=" + keys(i.partitionKey(), i.sortKey())).toList());
            String ttl = properties.path("TimeToLiveSpecification").path("AttributeName").asText(null);
            assertThat(ttl).as("%s TTL attribute", logicalId).isEqualTo(shape.ttlAttribute());
            assertThat(properties.path("BillingMode").asText()).as("%s billing", logicalId).isEqualTo("PAY_PER_REQUEST");
            assertThat(properties.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean())
                    .as("%s point-in-time recovery", logicalId).isTrue();
            assertThat(table.path("DeletionPolicy").asText()).as("customer data outlives the stack").isEqualTo("Retain");
            seen.add(variable);
        }
        List<String> declared = new ArrayList<>();
        for (RecordComponent c : Settings.TableNames.class.getRecordComponents()) {
            declared.add("DRIPLINE_TABLE_" + c.getName().toUpperCase(Locale.ROOT));
        }
        assertThat(seen).as("every table name the settings know has a shape").containsExactlyInAnyOrderElementsOf(declared);
    }

    private static List<String> keys(JsonNode keySchema) {
        List<String> out = new ArrayList<>();
        for (JsonNode k : keySchema) {
            out.add(k.path("AttributeName").asText() + ":" + k.path("KeyType").asText());
        }
        return out;
    }

    private static List<String> keys(String partition, String sort) {
        List<String> out = new ArrayList<>(List.of(partition + ":HASH"));
        if (sort != null) {
            out.add(sort + ":RANGE");
        }
        return out;
    }
}
