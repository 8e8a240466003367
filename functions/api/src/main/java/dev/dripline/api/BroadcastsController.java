package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.broadcasts.Broadcasts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/broadcasts {audience: {tags} | {anyTags} | {segmentId}, body, category?, sendAt? | sendAtLocal?,
 * frequencyCap?}}: a one-off send to an audience, each recipient's quiet hours respected.
 */
@Controller("/v1/broadcasts")
public class BroadcastsController {

    private final Broadcasts broadcasts;

    public BroadcastsController(Dripline dripline) {
        this.broadcasts = dripline.broadcasts();
    }

    public record BroadcastRequest(@Nullable String name, @Nullable Map<String, Object> audience, @Nullable String body,
                                   @Nullable String category, @Nullable Instant sendAt, @Nullable String sendAtLocal,
                                   @Nullable String frequencyCap) {
    }

    @Post
    public HttpResponse<Map<String, Object>> create(@Body BroadcastRequest r) {
        Broadcasts.Broadcast b = broadcasts.create(new Broadcasts.BroadcastInput(r.name(), r.audience(), r.body(), r.category(), r.sendAt(),
                r.sendAtLocal(), r.frequencyCap()));
        return HttpResponse.created(view(b));
    }

    @Get("/{id}")
    public Map<String, Object> get(String id) {
        return view(broadcasts.get(id));
    }

    @Post("/{id}/cancel")
    public Map<String, Object> cancel(String id) {
        return view(broadcasts.cancel(id));
    }

    static Map<String, Object> view(Broadcasts.Broadcast b) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", b.id());
        v.put("name", b.name());
        v.put("status", b.status());
        v.put("audience", b.audience());
        v.put("category", b.category());
        v.put("sendAt", b.sendAt());
        v.put("sendAtLocal", b.sendAtLocal() == null ? null : b.sendAtLocal().toString());
        v.put("audienceSize", b.audienceSize());
        v.put("queued", b.counts().get("queued"));
        v.put("held", b.counts().get("held") + b.counts().get("deferredCapped") - b.counts().get("released"));
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("optedOut", b.counts().get("skippedOptedOut"));
        skipped.put("capped", b.counts().get("skippedCapped"));
        // Held by quiet hours until their window opened: deferred, never dropped.
        skipped.put("quietHours", b.counts().get("deferredQuietHours"));
        v.put("skipped", skipped);
        v.put("createdAt", b.createdAt());
        return v;
    }
}
