package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/imports}: every import's progress and counts (its errors: GET /v1/imports/{id}) (a controller of its own beside the resource's). */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Imports")
@Controller("/v1/imports")
public class ImportsListController {

    private final Dripline dripline;

    public ImportsListController(Dripline dripline) {
        this.dripline = dripline;
    }

    /** A page of the list; {@code nextCursor} is null on the last page. */
    public record ImportList(List<Map<String, Object>> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listImports", summary = "every import's progress and counts (its errors: GET /v1/imports/{id})")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImportList.class)))
    public ImportList list(@Nullable String limit, @Nullable String cursor) {
        Page<Map<String, Object>> page = dripline.imports().list(Limits.parse(limit), cursor);
        return new ImportList(page.items(), page.nextCursor());
    }
}
