package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.Map;

@Controller("/v1/messages")
public class MessagesController {

    private final Messages messages;

    public MessagesController(Dripline dripline) {
        this.messages = dripline.messages();
    }

    /** Accepts a one-off message: 202 with its id and status; the sender does the rest. */
    @Post
    public HttpResponse<Map<String, Object>> send(HttpRequest<?> request, @Body OneOffMessage body) {
        Message m = messages.submit(body, Actors.of(request));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", m.id());
        answer.put("status", m.status());
        answer.put("to", m.to());
        answer.put("category", m.category());
        return HttpResponse.accepted().body(answer);
    }

    @Get("/{id}")
    public Message get(String id) {
        return messages.get(id).orElseThrow(() -> new NotFound("message", id));
    }
}
