package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.imports.Imports;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.Map;

/**
 * Bulk CSV import: {@code POST /v1/imports} (text/csv) answers 202 {@code {id, status, rows}}
 * once the rows are queued; the imports consumer does the writing; {@code GET /v1/imports/{id}}
 * shows the progress, the counts and the rejected rows.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Imports")
@Controller("/v1/imports")
public class ImportsController {

    private final Imports imports;

    public ImportsController(Dripline dripline) {
        this.imports = dripline.imports();
    }

    /**
     * {@code ?mapping=Mobile=phone,Loyalty Tier=attr.tier,Notes=ignore} maps the file's own column
     * names; {@code ?unknownColumns=attributes|ignore} keeps or skips columns neither known nor
     * mapped (default: a 422 listing them).
     */
    @Post(value = "{?mapping,unknownColumns}", consumes = "text/csv")
    @ApiResponse(responseCode = "202", description = "Accepted: rows are imported in the background",
            content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "object",
                            additionalProperties = io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE)))
    @io.swagger.v3.oas.annotations.Operation(operationId = "createImport")
    public HttpResponse<Map<String, Object>> start(HttpRequest<?> request, @Body String csv,
                                                   @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String mapping,
                                                   @io.micronaut.core.annotation.Nullable @io.micronaut.http.annotation.QueryValue String unknownColumns) {
        Map<String, Object> answer = imports.start(csv, dev.dripline.imports.ImportOptions.parse(mapping, unknownColumns), Actors.of(request));
        return HttpResponse.accepted().body(answer);
    }

    @Get("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getImport")
    public Map<String, Object> status(String id) {
        return imports.status(id);
    }
}
