package dev.dripline.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The one JSON mapper setup: ISO-8601 times, no nulls on the wire. Unknown fields are tolerated
 * where Dripline reads its own stored or queued JSON (a newer version may have written more), and
 * refused in what callers send ({@link #configureForRequests}).
 */
public final class Json {

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies Dripline's settings to a mapper another framework created (Micronaut's). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * As {@link #configure}, for a mapper that reads request bodies (Micronaut's): a field that
     * none of Dripline's own types knows is an {@link UnrecognizedPropertyException} naming it,
     * instead of being dropped. Other types (the Lambda events) keep tolerating new fields.
     */
    public static ObjectMapper configureForRequests(ObjectMapper mapper) {
        return configure(mapper).addHandler(new RefuseUnknownFields());
    }

    /** Refuses an unknown field of a {@code dev.dripline} type; consulted before the tolerant default. */
    static final class RefuseUnknownFields extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (!type.getName().startsWith("dev.dripline.")) {
                return false;
            }
            throw UnrecognizedPropertyException.from(parser, beanOrClass, propertyName, deserializer.getKnownPropertyNames());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
