package dev.dripline.store;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverter;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stores a map of JSON scalars (string, number, boolean) as a native DynamoDB map, so that
 * filters and conditions can reach into it ({@code attributes.city = :c}). Numbers keep their
 * exact decimal value.
 */
public final class JsonValuesConverter implements AttributeConverter<Map<String, Object>> {

    @Override
    public AttributeValue transformFrom(Map<String, Object> input) {
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        input.forEach((k, v) -> out.put(k, toAttribute(v)));
        return AttributeValue.fromM(out);
    }

    @Override
    public Map<String, Object> transformTo(AttributeValue input) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (input.hasM()) {
            input.m().forEach((k, v) -> out.put(k, fromAttribute(v)));
        }
        return out;
    }

    static AttributeValue toAttribute(Object value) {
        if (value == null) {
            return AttributeValue.fromNul(true);
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (value instanceof Number n) {
            return AttributeValue.fromN(new BigDecimal(n.toString()).toPlainString());
        }
        return AttributeValue.fromS(value.toString());
    }

    static Object fromAttribute(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.n() != null) {
            return new BigDecimal(value.n());
        }
        if (value.bool() != null) {
            return value.bool();
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Override
    public EnhancedType<Map<String, Object>> type() {
        return (EnhancedType) EnhancedType.mapOf(String.class, Object.class);
    }

    @Override
    public AttributeValueType attributeValueType() {
        return AttributeValueType.M;
    }
}
