package dev.dripline.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /dashboard}: a static page (public: it holds no data) whose script asks the
 * authenticated {@code /v1} routes with the key the reader gives it. Chart.js comes from its
 * webjar on the classpath: nothing is loaded from another host.
 */
// Not part of the API: a page for people (no operations in /openapi.yml).
@Controller("/dashboard")
public class DashboardController {

    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final Map<String, String> ASSETS = Map.of(
            "dashboard.js", "dashboard/dashboard.js",
            "dashboard.css", "dashboard/dashboard.css",
            "chart.umd.js", CHART_JS,
            "chart.js-LICENSE.md", "META-INF/resources/webjars/chart.js/4.4.1/LICENSE.md");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Get(produces = MediaType.TEXT_HTML)
    @io.swagger.v3.oas.annotations.Hidden
    public HttpResponse<byte[]> page() {
        return HttpResponse.ok(read("dashboard/index.html")).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:")
                .header("Cache-Control", "no-cache");
    }

    @Get(value = "/assets/{name}", produces = MediaType.ALL)
    @io.swagger.v3.oas.annotations.Hidden
    public HttpResponse<byte[]> asset(String name) {
        String path = ASSETS.get(name);
        if (path == null) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/markdown";
        return HttpResponse.ok(read(path)).contentType(type + "; charset=utf-8").header("Cache-Control", "max-age=300");
    }

    private byte[] read(String path) {
        return cache.computeIfAbsent(path, p -> {
            try (InputStream in = DashboardController.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + p);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
