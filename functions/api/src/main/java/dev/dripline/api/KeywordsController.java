package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.keywords.KeywordProgram;
import dev.dripline.keywords.KeywordPrograms;
import dev.dripline.store.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * Keyword programs: {@code POST/GET/PUT/DELETE /v1/keywords}. A program answers an inbound
 * "PARK 1234" at once and records its event; changes take effect within
 * {@link KeywordPrograms#CACHE} on every instance, without a redeploy. Bodies are read as JSON
 * objects and checked field by field by the core, so an unknown field is a 422 naming it.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Keywords")
@Controller("/v1/keywords")
public class KeywordsController {

    private final KeywordPrograms programs;

    public KeywordsController(Dripline dripline) {
        this.programs = dripline.keywordPrograms();
    }

    /** {@code POST /v1/keywords} and {@code PUT /v1/keywords/{id}}. */
    @Schema(name = "NewKeywordProgram")
    public record NewKeywordProgram(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "PARK",
                    description = "one word; not STOP, START, HELP or any of their other forms (退订, T, TD, ...), nor one of DRIPLINE_KEYWORDS")
            String keyword,
            @Nullable @Schema(example = "[\"+14155550100\"]", description = "the numbers it listens on (E.164); leave out for every number")
            List<String> numbers,
            @Nullable @Schema(description = "what follows the keyword: its name (the event's property) and a pattern it must match")
            KeywordProgram.Argument argument,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Pay for lot {{argument}} here: {{event.url|}}") String reply,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "park_requested") String event,
            @Nullable @Schema(description = "the answer to a missing or bad argument") String help,
            @Nullable @Schema(description = "text-to-join: {confirm: true} asks \"Reply Y to confirm\" and records the consent with the keyword as proof")
            KeywordProgram.OptIn optIn) {
    }

    @Schema(name = "KeywordProgramList")
    public record KeywordProgramList(List<KeywordProgram> items,
                                     @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Post
    @Operation(operationId = "createKeyword", summary = "Create a keyword program")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewKeywordProgram.class)))
    @ApiResponse(responseCode = "201", description = "The new program",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeywordProgram.class)))
    public HttpResponse<KeywordProgram> create(@Body Map<String, Object> body) {
        return HttpResponse.created(programs.create(body));
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listKeywords", summary = "List keyword programs")
    @ApiResponse(responseCode = "200", description = "A page, and the cursor of the next one (null on the last)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeywordProgramList.class)))
    public KeywordProgramList list(@Nullable String limit, @Nullable String cursor) {
        Page<KeywordProgram> page = programs.list(Limits.parse(limit), cursor);
        return new KeywordProgramList(page.items(), page.nextCursor());
    }

    @Get("/{id}")
    @Operation(operationId = "getKeyword", summary = "Read a keyword program")
    @ApiResponse(responseCode = "200", description = "The program",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeywordProgram.class)))
    public KeywordProgram get(String id) {
        return programs.get(id);
    }

    @Put("/{id}")
    @Operation(operationId = "replaceKeyword", summary = "Replace a keyword program (the whole program, as for create)")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewKeywordProgram.class)))
    @ApiResponse(responseCode = "200", description = "The program as it now is",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeywordProgram.class)))
    public KeywordProgram replace(String id, @Body Map<String, Object> body) {
        return programs.replace(id, body);
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteKeyword", summary = "Delete a keyword program")
    @ApiResponse(responseCode = "204", description = "Deleted")
    public HttpResponse<Void> delete(String id) {
        programs.delete(id);
        return HttpResponse.noContent();
    }
}
