package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.imports.Imports;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;

/**
 * {@code POST /v1/migrations/pinpoint} {@code {prefix, dryRun?}}: the Pinpoint export files under
 * that prefix of the configured export bucket (DRIPLINE_PINPOINT_EXPORT_BUCKET) are imported by
 * the imports function; {@code GET /v1/migrations/pinpoint/{id}} shows its status, report and
 * the progress of the endpoints' import.
 */
@Tag(name = "Migrations")
@Controller("/v1/migrations/pinpoint")
public class MigrationsController {

    /** The request: a key prefix in the export bucket, and whether only to translate and report. */
    // Not @Introspected: Micronaut's introspection module would build this record from a bare
    // JSON scalar (`false`) and fail with a ClassCastException (a 500); Jackson refuses it with a 400.
    @Schema(name = "PinpointMigrationRequest")
    public record PinpointMigrationRequest(String prefix, @Nullable Boolean dryRun) {
    }

    private final PinpointJobs jobs;
    private final Imports imports;

    public MigrationsController(Dripline dripline) {
        this.jobs = dripline.pinpointJobs();
        this.imports = dripline.imports();
    }

    @Post
    @Operation(operationId = "createPinpointMigration")
    @ApiResponse(responseCode = "202", description = "Accepted: the imports function reads the files and runs the migration",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
    public HttpResponse<Map<String, Object>> start(HttpRequest<?> request, @Body PinpointMigrationRequest body) {
        return HttpResponse.accepted().body(jobs.start(body.prefix(), Boolean.TRUE.equals(body.dryRun()), Actors.of(request)));
    }

    @Get("/{id}")
    @Operation(operationId = "getPinpointMigration")
    public Map<String, Object> status(String id) {
        return jobs.status(id, imports);
    }
}
