package dev.dripline.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dripline.Dripline;
import dev.dripline.audience.Segment;
import dev.dripline.broadcasts.Broadcasts;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageFilter;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The collections' lists, {@code GET /v1/{messages,segments,broadcasts,imports}}: one shape for
 * all, a page of items and the cursor of the next page (null on the last), each resource's own
 * controller beside it for the rest. Each list keeps its own record, so the published document
 * names its schema as before ({@code MessagesListController.MessageList}...).
 */
@Controller("/v1")
public class ListsController {

    private static final String PAGE = "A page, and the cursor of the next one (null on the last)";
    private static final String JSON = "application/json";

    private final Dripline dripline;

    public ListsController(Dripline dripline) {
        this.dripline = dripline;
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    @Schema(name = "MessagesListController.MessageList")
    public record MessageList(List<Message> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    @Schema(name = "SegmentsListController.SegmentList")
    public record SegmentList(List<Segment> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    @Schema(name = "BroadcastsListController.BroadcastList")
    public record BroadcastList(List<Broadcasts.Broadcast> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    @Schema(name = "ImportsListController.ImportList")
    public record ImportList(List<Map<String, Object>> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    private static <T, L> L page(Page<T> page, BiFunction<List<T>, String, L> list) {
        return list.apply(page.items(), page.nextCursor());
    }

    @Get("/messages{?contact,status,campaign,broadcast,from,to,limit,cursor}")
    @Tag(name = "Messages")
    @Operation(operationId = "listMessages", summary = "messages, filtered by contact, status, campaign, broadcast and creation time [from, to)")
    @ApiResponse(responseCode = "200", description = PAGE, content = @Content(mediaType = JSON, schema = @Schema(implementation = MessageList.class)))
    public MessageList messages(@Nullable String contact, @Nullable String status, @Nullable String campaign, @Nullable String broadcast,
                                @Nullable String from, @Nullable String to, @Nullable String limit, @Nullable String cursor) {
        MessageFilter filter = MessageFilter.parse(contact, status, campaign, broadcast, from, to);
        Page<dev.dripline.messaging.Message> found = dripline.messageStore().list(filter, Limits.parse(limit), cursor);
        return page(new Page<>(new dev.dripline.media.MediaLinks(dripline::media).shown(found.items()), found.nextCursor()), MessageList::new);
    }

    @Get("/segments{?limit,cursor}")
    @Tag(name = "Segments")
    @Operation(operationId = "listSegments", summary = "every saved segment")
    @ApiResponse(responseCode = "200", description = PAGE, content = @Content(mediaType = JSON, schema = @Schema(implementation = SegmentList.class)))
    public SegmentList segments(@Nullable String limit, @Nullable String cursor) {
        return page(dripline.audience().segments(Limits.parse(limit), cursor), SegmentList::new);
    }

    @Get("/broadcasts{?limit,cursor}")
    @Tag(name = "Broadcasts")
    @Operation(operationId = "listBroadcasts", summary = "every broadcast")
    @ApiResponse(responseCode = "200", description = PAGE, content = @Content(mediaType = JSON, schema = @Schema(implementation = BroadcastList.class)))
    public BroadcastList broadcasts(@Nullable String limit, @Nullable String cursor) {
        return page(dripline.broadcasts().list(Limits.parse(limit), cursor), BroadcastList::new);
    }

    @Get("/imports{?limit,cursor}")
    @Tag(name = "Imports")
    @Operation(operationId = "listImports", summary = "every import's progress and counts (its errors: GET /v1/imports/{id})")
    @ApiResponse(responseCode = "200", description = PAGE, content = @Content(mediaType = JSON, schema = @Schema(implementation = ImportList.class)))
    public ImportList imports(@Nullable String limit, @Nullable String cursor) {
        return page(dripline.imports().list(Limits.parse(limit), cursor), ImportList::new);
    }
}
