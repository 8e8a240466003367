package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.audience.Audience;
import dev.dripline.audience.Segment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/** Saved filters over tags and attributes: {@code POST /v1/segments {name, filter}}, read, list their contacts. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Segments")
@Controller("/v1/segments")
public class SegmentsController {

    private final Audience audience;

    public SegmentsController(Dripline dripline) {
        this.audience = dripline.audience();
    }

    /** {@code {name, filter}}. */
    public record SegmentInput(@Nullable String name, @Nullable Object filter) {
    }

    @Post
    @ApiResponse(responseCode = "201", description = "The new segment", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Segment.class)))
    @io.swagger.v3.oas.annotations.Operation(operationId = "createSegment")
    public HttpResponse<Segment> create(@Body SegmentInput input) {
        return HttpResponse.created(audience.createSegment(input.name(), input.filter()));
    }

    @Get("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getSegment")
    public Segment get(String id) {
        return audience.segment(id);
    }

    @Get("/{id}/contacts{?limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listSegmentContacts")
    public ContactList contacts(String id, @Nullable String limit, @Nullable String cursor) {
        Audience.Page page = audience.segmentContacts(id, Limits.parse(limit), cursor);
        return new ContactList(page.items(), page.nextCursor());
    }
}
