package dev.dripline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dripline.json.Json;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/** Gives Micronaut's ObjectMapper the project's one JSON setup ({@link Json}), strict about request bodies' fields. */
@Singleton
public class JsonSetup implements BeanCreatedEventListener<ObjectMapper> {

    @Override
    public ObjectMapper onCreated(BeanCreatedEvent<ObjectMapper> event) {
        return Json.configureForRequests(event.getBean());
    }
}
