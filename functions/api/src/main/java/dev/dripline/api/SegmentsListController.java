package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.audience.Segment;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** {@code GET /v1/segments}: every saved segment (a controller of its own beside the resource's). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Segments")
@Controller("/v1/segments")
public class SegmentsListController {

    private final Dripline dripline;

    public SegmentsListController(Dripline dripline) {
        this.dripline = dripline;
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    public record SegmentList(List<Segment> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listSegments", summary = "every saved segment")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SegmentList.class)))
    public SegmentList list(@Nullable String limit, @Nullable String cursor) {
        Page<Segment> page = dripline.audience().segments(Limits.parse(limit), cursor);
        return new SegmentList(page.items(), page.nextCursor());
    }
}
