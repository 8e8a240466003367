package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.NotFound;
import dev.dripline.links.ShortLinks;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /r/{code}}: a recipient tapped a short link. Public (no API key: it is in an SMS);
 * records the click and redirects (302) to the target; an unknown code is 404 problem+json.
 */
@Controller("/r")
public class ShortLinksController {

    private final ShortLinks links;

    public ShortLinksController(Dripline dripline) {
        this.links = dripline.shortLinks();
    }

    @Get("/{code}")
    public HttpResponse<?> follow(String code) {
        String target = links.click(code).orElseThrow(() -> new NotFound("short link", code));
        return HttpResponse.status(HttpStatus.FOUND).header("Location", target).header("Cache-Control", "no-store");
    }
}
