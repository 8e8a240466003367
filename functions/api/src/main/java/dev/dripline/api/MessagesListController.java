package dev.dripline.api;

import dev.dripline.Dripline;
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
import java.util.List;

/** {@code GET /v1/messages}: messages, filtered by contact, status, campaign, broadcast and creation time [from, to) (a controller of its own beside the resource's). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Messages")
@Controller("/v1/messages")
public class MessagesListController {

    private final Dripline dripline;

    public MessagesListController(Dripline dripline) {
        this.dripline = dripline;
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    public record MessageList(List<Message> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Get("{?contact,status,campaign,broadcast,from,to,limit,cursor}")
    @Operation(operationId = "listMessages", summary = "messages, filtered by contact, status, campaign, broadcast and creation time [from, to)")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageList.class)))
    public MessageList list(@Nullable String contact, @Nullable String status, @Nullable String campaign, @Nullable String broadcast,
                            @Nullable String from, @Nullable String to, @Nullable String limit, @Nullable String cursor) {
        Page<Message> page = dripline.messageStore().list(MessageFilter.parse(contact, status, campaign, broadcast, from, to), Limits.parse(limit), cursor);
        return new MessageList(page.items(), page.nextCursor());
    }
}
