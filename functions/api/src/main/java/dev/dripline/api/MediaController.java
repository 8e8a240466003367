package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.NotFound;
import dev.dripline.errors.ProblemType;
import dev.dripline.http.Problems;
import dev.dripline.media.MediaUploads;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * {@code POST /v1/media}: a file's bytes as the body, its type as Content-Type: stored for MMS,
 * answered 201 {@code {id, url, contentType, size}}; {@code GET /v1/media/{id}} describes it with a
 * fresh fetch URL. Refusals: 415 (a type no provider carries), 413 (larger than any MMS), 422
 * (empty, or not what its type says).
 */
@Tag(name = "Media")
@Controller("/v1/media")
public class MediaController {

    /** Uploaded media: {@code url} fetches it until it expires (a signed URL). */
    public record MediaDescription(String id, String url, String contentType, long size) {
        static MediaDescription of(MediaUploads.Described d) {
            return new MediaDescription(d.id(), d.url().toString(), d.contentType(), d.size());
        }
    }

    private final Dripline dripline;

    public MediaController(Dripline dripline) {
        this.dripline = dripline;
    }

    private MediaUploads uploads() {
        return new MediaUploads(dripline.media(), dripline.settings().media());
    }

    @Post(consumes = MediaType.ALL)
    @Operation(operationId = "createMedia", requestBody = @RequestBody(required = true, description = "The file's bytes as the body, with"
            + " its own Content-Type (image/jpeg, image/png, image/gif, video/mp4, video/3gpp, audio/mp4, audio/mpeg, audio/amr,"
            + " application/pdf, text/vcard), or application/octet-stream, when the type is read from the bytes",
            content = @Content(mediaType = MediaUploads.OCTET_STREAM, schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "201", description = "Stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MediaDescription.class)))
    @ApiResponse(responseCode = "413", description = "Larger than the largest MMS any provider carries (problem+json)")
    @ApiResponse(responseCode = "415", description = "A type no provider carries (problem+json)")
    @ApiResponse(responseCode = "422", description = "Empty, or not what its Content-Type says (problem+json)")
    public HttpResponse<?> upload(HttpRequest<?> request, @Nullable @Body byte[] body) {
        try {
            MediaUploads.Described stored = uploads().upload(request.getHeaders().get("Content-Type"), body);
            return HttpResponse.created(MediaDescription.of(stored));
        } catch (MediaUploads.Refused refused) {
            ProblemType type = ProblemType.forStatus(refused.status());
            return Problems.response(type, refused.field() + " " + refused.getMessage(), List.of(new FieldError(refused.field(), refused.getMessage())))
                    .status(HttpStatus.valueOf(refused.status()));
        }
    }

    @Get("/{id}")
    @Operation(operationId = "getMedia")
    public MediaDescription get(String id) {
        return uploads().find(id).map(MediaDescription::of).orElseThrow(() -> new NotFound("media", id));
    }
}
