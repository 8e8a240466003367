package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.NotFound;
import dev.dripline.http.Problems;
import dev.dripline.links.ShortLinks;
import io.micronaut.http.HttpResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /r/{code}}: a recipient tapped a short link. Public (no API key: it is in an SMS);
 * records the click and redirects (302) to the target; an unknown code is 404 problem+json.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Short links")
@Controller("/r")
public class ShortLinksController {

    private final ShortLinks links;
    private final Dripline dripline;

    public ShortLinksController(Dripline dripline) {
        this.links = dripline.shortLinks();
        this.dripline = dripline;
    }

    // A phone's browser asks for text/html: a redirect has no body, so any Accept will do.
    @Get(value = "/{code}", produces = MediaType.ALL)
    @ApiResponse(responseCode = "302", description = "To the link's target (Location); the click is counted")
    @io.swagger.v3.oas.annotations.Operation(operationId = "followShortLink")
    public HttpResponse<?> follow(String code) {
        // Media sent as a link (MMS's SMS fallback) leads through a fetch URL signed at the click.
        return links.click(code).map(target -> dripline.mediaAttachments().redirectTo(target))
                .<HttpResponse<?>>map(target -> HttpResponse.status(HttpStatus.FOUND).header("Location", target)
                        .header("Cache-Control", "no-store"))
                // Built here: the error processor would answer in the browser's text/html.
                .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND).contentType(Problems.CONTENT_TYPE)
                        .body(Problems.of(HttpStatus.NOT_FOUND, new NotFound("short link", code).getMessage())));
    }
}
