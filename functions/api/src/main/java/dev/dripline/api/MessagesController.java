package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.encoding.BodyAnalysis;
import dev.dripline.messaging.encoding.Segments;
import io.micronaut.core.annotation.Nullable;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.Map;

@Controller("/v1/messages")
public class MessagesController {

    private final Messages messages;
    private final dev.dripline.Settings settings;

    public MessagesController(Dripline dripline) {
        this.messages = dripline.messages();
        this.settings = dripline.settings();
    }

    /** Accepts a one-off message: 202 with its id and status; the sender does the rest. */
    @Post
    @ApiResponse(responseCode = "202", description = "Accepted: the sender does the rest")
    @ApiResponse(responseCode = "503", description = "No SMS provider is configured: nothing can be sent (problem+json)")
    public HttpResponse<Map<String, Object>> send(HttpRequest<?> request, @Body OneOffMessage body,
                                                  @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Message m = messages.send(body, Actors.of(request), idempotencyKey, RequestUrl.of(request, settings));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", m.id());
        answer.put("status", m.status());
        answer.put("to", m.to());
        answer.put("category", m.category());
        answer.put("encoding", m.encoding());
        answer.put("segments", m.segments());
        if (m.sendAt() != null) {
            answer.put("sendAt", m.sendAt());
        }
        return HttpResponse.accepted().body(answer);
    }

    /** What a body costs: encoding, segments, and which characters force UCS-2 and where. */
    @Post("/preview")
    public Map<String, Object> preview(@Body PreviewRequest request) {
        if (request.body() == null) {
            throw InvalidInput.of("body", "is required");
        }
        if (request.body().length() > Messages.MAX_BODY) {
            throw InvalidInput.of("body", "has " + request.body().length() + " characters; at most " + Messages.MAX_BODY);
        }
        BodyAnalysis analysis = Segments.analyze(request.body(), Boolean.TRUE.equals(request.smartEncoding()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("encoding", analysis.count().encoding().label());
        answer.put("segments", analysis.count().segments());
        answer.put("units", analysis.count().units());
        answer.put("unitsPerSegment", analysis.count().unitsPerSegment());
        analysis.smartEncodedText().ifPresent(text -> answer.put("smartEncodedBody", text));
        answer.put("replacements", analysis.replacements());
        answer.put("ucs2Characters", analysis.ucs2Characters());
        return answer;
    }

    /** {@code POST /v1/messages/preview}. */
    public record PreviewRequest(@Nullable String body, @Nullable Boolean smartEncoding) {
    }

    @Get("/{id}")
    public Message get(String id) {
        return messages.get(id).orElseThrow(() -> new NotFound("message", id));
    }
}
