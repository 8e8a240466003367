package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.broadcasts.Broadcasts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
    private final dev.dripline.analytics.Analytics analytics;

    public BroadcastsController(Dripline dripline) {
        this.broadcasts = dripline.broadcasts();
        this.analytics = dripline.analytics();
    }

    public record BroadcastRequest(@Nullable String name, @Nullable Map<String, Object> audience, @Nullable String body,
                                   @Nullable String category, @Nullable Instant sendAt, @Nullable String sendAtLocal,
                                   @Nullable String frequencyCap) {
    }

    @ApiResponse(responseCode = "201", description = "Scheduled: {id, status, audienceSize, ...}")
    @Post
    public HttpResponse<Map<String, Object>> create(@Body BroadcastRequest r) {
        Broadcasts.Broadcast b = broadcasts.create(new Broadcasts.BroadcastInput(r.name(), r.audience(), r.body(), r.category(), r.sendAt(),
                r.sendAtLocal(), r.frequencyCap()));
        return HttpResponse.created(view(b, analytics.broadcastCounts(b.id())));
    }

    @Get("/{id}")
    public Map<String, Object> get(String id) {
        return view(broadcasts.get(id), analytics.broadcastCounts(id));
    }

    @Post("/{id}/cancel")
    public Map<String, Object> cancel(String id) {
        return view(broadcasts.cancel(id), analytics.broadcastCounts(id));
    }

    /** The fan-out's own counts (queued, held, skipped) with what happened to the messages since (sent, delivered...). */
    static Map<String, Object> view(Broadcasts.Broadcast b, dev.dripline.analytics.Analytics.BroadcastCounts sent) {
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
        v.put("held", Math.max(0, b.counts().get("held") + b.counts().get("deferredCapped") - b.counts().get("released")));
        v.put("sent", sent.sent());
        v.put("segments", sent.segments());
        v.put("cost", sent.cost());
        v.put("delivered", sent.delivered());
        v.put("undelivered", sent.undelivered());
        v.put("failed", sent.failed());
        v.put("clicked", sent.clicked());
        v.put("uniqueClicks", sent.uniqueClicks());
        v.put("replied", sent.replied());
        v.put("optedOut", sent.optedOut());
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("optedOut", b.counts().get("skippedOptedOut"));
        skipped.put("capped", b.counts().get("skippedCapped"));
        // Quiet hours defer, they do not drop: only those still waiting for their window count here
        // (a cancelled broadcast leaves them unsent); once sent, a deferral is only in deferred.quietHours.
        skipped.put("quietHours", Math.max(0, b.counts().get("deferredQuietHours") - b.counts().get("releasedQuietHours")));
        v.put("skipped", skipped);
        Map<String, Object> deferred = new LinkedHashMap<>();
        deferred.put("quietHours", b.counts().get("deferredQuietHours"));
        deferred.put("capped", b.counts().get("deferredCapped"));
        v.put("deferred", deferred);
        v.put("createdAt", b.createdAt());
        return v;
    }
}
