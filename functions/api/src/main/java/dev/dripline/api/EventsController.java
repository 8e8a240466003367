package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.drip.JourneyInbox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.Map;

/**
 * {@code POST /v1/events {contactId or phone, name, properties?, occurredAt?, id?}}: something a
 * contact did. It enrols them in the campaigns it triggers and ends the ones it is a goal of;
 * answered 202 once recorded (the engine acts on it from the steps queue). An {@code id} (or an
 * Idempotency-Key) makes a retried request one event.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Events")
@Controller("/v1/events")
public class EventsController {

    private final JourneyInbox inbox;

    public EventsController(Dripline dripline) {
        this.inbox = dripline.journeyInbox();
    }

    public record EventRequest(@Nullable String id, @Nullable String contactId, @Nullable String phone, @Nullable String country,
                               @Nullable String name, @Nullable Map<String, Object> properties, @Nullable Instant occurredAt) {
    }

    @ApiResponse(responseCode = "202", description = "Recorded; the drip engine acts on it",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = JourneyInbox.Recorded.class)))
    @Post
    @io.swagger.v3.oas.annotations.Operation(operationId = "createEvent")
    public HttpResponse<JourneyInbox.Recorded> record(@Body EventRequest e, @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        String id = e.id() != null ? e.id() : idempotencyKey;
        JourneyInbox.Recorded r = inbox.event(new JourneyInbox.EventInput(id, e.contactId(), e.phone(), e.country(), e.name(),
                e.properties(), e.occurredAt()));
        return HttpResponse.accepted().body(r);
    }
}
