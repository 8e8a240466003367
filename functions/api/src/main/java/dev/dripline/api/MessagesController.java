package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.messaging.encoding.BodyAnalysis;
import dev.dripline.messaging.encoding.Replacement;
import dev.dripline.messaging.encoding.Ucs2Character;
import dev.dripline.messaging.encoding.Segments;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Tag(name = "Messages")
@Controller("/v1/messages")
public class MessagesController {

    private final Messages messages;
    private final Clock clock;
    private final dev.dripline.Settings settings;

    public MessagesController(Dripline dripline) {
        this.messages = dripline.messages();
        this.clock = dripline.clock();
        this.settings = dripline.settings();
    }

    /** {@code POST /v1/messages} answered 202: the message as accepted; the sender does the rest. */
    public record MessageAccepted(String id, MessageStatus status, String to, Category category, String encoding, Integer segments,
                                  @Nullable Instant sendAt) {
    }

    /** What a body costs: its encoding, segments and units, and what forces UCS-2. */
    public record MessagePreview(String encoding, int segments, int units, int unitsPerSegment, @Nullable String smartEncodedBody,
                                 List<Replacement> replacements, List<Ucs2Character> ucs2Characters) {
    }

    /** Accepts a one-off message: 202 with its id and status; the sender does the rest. */
    @Post
    @Operation(operationId = "sendMessage")
    @ApiResponse(responseCode = "202", description = "Accepted: the sender does the rest",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageAccepted.class)))
    @ApiResponse(responseCode = "503", description = "No SMS provider is configured: nothing can be sent (problem+json)")
    public HttpResponse<MessageAccepted> send(HttpRequest<?> request, @Body OneOffMessage body,
                                              @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        SendTimes.notPast(body.sendAt(), clock);
        Message m = messages.send(body, Actors.of(request), idempotencyKey, RequestUrl.of(request, settings));
        return HttpResponse.accepted().body(new MessageAccepted(m.id(), m.status(), m.to(), m.category(), m.encoding(), m.segments(),
                m.sendAt()));
    }

    /** What a body costs: encoding, segments, and which characters force UCS-2 and where. */
    @Post("/preview")
    @Operation(operationId = "previewMessage")
    public MessagePreview preview(@Body PreviewRequest request) {
        if (request.body() == null) {
            throw InvalidInput.of("body", "is required");
        }
        if (request.body().length() > Messages.MAX_BODY) {
            throw InvalidInput.of("body", "has " + request.body().length() + " characters; at most " + Messages.MAX_BODY);
        }
        BodyAnalysis analysis = Segments.analyze(request.body(), Boolean.TRUE.equals(request.smartEncoding()));
        return new MessagePreview(analysis.count().encoding().label(), analysis.count().segments(), analysis.count().units(),
                analysis.count().unitsPerSegment(), analysis.smartEncodedText().orElse(null), analysis.replacements(),
                analysis.ucs2Characters());
    }

    /** {@code POST /v1/messages/preview}. */
    public record PreviewRequest(@Nullable String body, @Nullable Boolean smartEncoding) {
    }

    @Get("/{id}")
    @Operation(operationId = "getMessage")
    public Message get(String id) {
        return messages.get(id).orElseThrow(() -> new NotFound("message", id));
    }
}
