package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** {@code GET /v1/broadcasts}: every broadcast (a controller of its own beside the resource's). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Broadcasts")
@Controller("/v1/broadcasts")
public class BroadcastsListController {

    private final Dripline dripline;

    public BroadcastsListController(Dripline dripline) {
        this.dripline = dripline;
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    public record BroadcastList(List<Broadcasts.Broadcast> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listBroadcasts", summary = "every broadcast")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = BroadcastList.class)))
    public BroadcastList list(@Nullable String limit, @Nullable String cursor) {
        Page<Broadcasts.Broadcast> page = dripline.broadcasts().list(Limits.parse(limit), cursor);
        return new BroadcastList(page.items(), page.nextCursor());
    }
}
