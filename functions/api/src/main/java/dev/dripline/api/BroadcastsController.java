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
import dev.dripline.messaging.Category;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/broadcasts {audience: {tags} | {anyTags} | {segmentId}, body, category?, sendAt? | sendAtLocal?,
 * frequencyCap?}}: a one-off send to an audience, each recipient's quiet hours respected.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Broadcasts")
@Controller("/v1/broadcasts")
public class BroadcastsController {

    private final Broadcasts broadcasts;
    private final dev.dripline.analytics.Analytics analytics;
    private final java.time.Clock clock;

    public BroadcastsController(Dripline dripline) {
        this.broadcasts = dripline.broadcasts();
        this.analytics = dripline.analytics();
        this.clock = dripline.clock();
    }

    public record BroadcastRequest(@Nullable String name, @Nullable Map<String, Object> audience, @Nullable String body,
                                   @Nullable String category, @Nullable Instant sendAt, @Nullable String sendAtLocal,
                                   @Nullable String frequencyCap,
                                   @io.swagger.v3.oas.annotations.media.Schema(description = "The consent topic (DRIPLINE_TOPICS); absent: the category's")
                                   @Nullable String topic,
                                   @io.swagger.v3.oas.annotations.media.Schema(description = "Pictures and other media (MMS): [{url} or {id}], at most 10")
                                   @Nullable List<dev.dripline.media.MediaInput> media,
                                   @io.swagger.v3.oas.annotations.media.Schema(allowableValues = {"link", "fail"},
                                           description = "Where MMS cannot go: SMS with a short link to each media (default), or fail")
                                   @Nullable String mediaFallback) {
    }

    @ApiResponse(responseCode = "201", description = "Scheduled",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = BroadcastView.class)))
    @ApiResponse(responseCode = "503", description = "No SMS provider is configured: nothing can be sent (problem+json)")
    @Post
    @io.swagger.v3.oas.annotations.Operation(operationId = "createBroadcast")
    public HttpResponse<BroadcastView> create(@Body BroadcastRequest r) {
        SendTimes.notPast(r.sendAt(), clock);
        Broadcasts.Broadcast b = broadcasts.create(new Broadcasts.BroadcastInput(r.name(), r.audience(), r.body(), r.category(), r.sendAt(),
                r.sendAtLocal(), r.frequencyCap(), r.topic(), r.media(), r.mediaFallback()));
        return HttpResponse.created(view(b, analytics.broadcastCounts(b.id())));
    }

    @Get("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getBroadcast")
    public BroadcastView get(String id) {
        return view(broadcasts.get(id), analytics.broadcastCounts(id));
    }

    /** One recipient: its message, its hold by a jurisdiction's cap rule ({@code heldUntil}, {@code heldBy}), or its skip. */
    @Get("/{id}/recipients/{contactId}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getBroadcastRecipient")
    public Broadcasts.Recipient recipient(String id, String contactId) {
        if (!contactId.matches("[A-Za-z0-9_-]{1,64}")) {
            // Not an id Dripline makes; kept out of the store's keys (which refuse over-long ones).
            throw new dev.dripline.errors.NotFound("contact", contactId);
        }
        return broadcasts.recipient(id, contactId);
    }

    @Post("/{id}/cancel")
    @io.swagger.v3.oas.annotations.Operation(operationId = "cancelBroadcast")
    public BroadcastView cancel(String id) {
        return view(broadcasts.cancel(id), analytics.broadcastCounts(id));
    }

    /** A broadcast: the fan-out's own counts (queued, held, skipped) with what happened to its messages since (sent, delivered...). */
    public record BroadcastView(String id, @Nullable String name, String status, Object audience, Category category, @Nullable Instant sendAt,
                                @Nullable String sendAtLocal, @Nullable Long audienceSize, Long queued, long held, long sent, long segments,
                                BigDecimal cost, long delivered, long undelivered, long failed, long clicked, long uniqueClicks, long replied,
                                long optedOut, Skipped skipped, Deferred deferred, Instant createdAt, @Nullable String topic) {
    }

    /**
     * Recipients left out (opted out, over the frequency cap) and those still waiting for their quiet-hours window
     * (deferred, never dropped: once sent, a deferral counts only in {@link Deferred}; a cancelled broadcast leaves them unsent).
     */
    public record Skipped(Long optedOut, Long capped, Long quietHours) {
    }

    /** Recipients whose send was moved: to their quiet-hours window, or past a frequency cap. */
    public record Deferred(Long quietHours, Long capped) {
    }

    static BroadcastView view(Broadcasts.Broadcast b, dev.dripline.analytics.Analytics.BroadcastCounts sent) {
        Map<String, Long> c = b.counts();
        return new BroadcastView(b.id(), b.name(), b.status(), b.audience(), b.category(), b.sendAt(),
                b.sendAtLocal() == null ? null : b.sendAtLocal().toString(), b.audienceSize(), c.get("queued"),
                Math.max(0, c.get("held") + c.get("deferredCapped") - c.get("released")), sent.sent(), sent.segments(), sent.cost(),
                sent.delivered(), sent.undelivered(), sent.failed(), sent.clicked(), sent.uniqueClicks(), sent.replied(), sent.optedOut(),
                new Skipped(c.get("skippedOptedOut"), c.get("skippedCapped"),
                        Math.max(0, c.get("deferredQuietHours") - c.get("releasedQuietHours"))),
                new Deferred(c.get("deferredQuietHours"), c.get("deferredCapped")), b.createdAt(), b.topic());
    }
}
