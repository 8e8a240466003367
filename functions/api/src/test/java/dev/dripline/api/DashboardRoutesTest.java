package dev.dripline.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dripline.engines.aws.CfnTemplate;
import io.micronaut.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every path the dashboard loads (its HTML's src/href, its scripts' fetch() calls, its
 * stylesheets' url()) is routed to the api function in template.yaml: on AWS a path without a
 * route is API Gateway's 404, whatever the controller serves locally.
 */
class DashboardRoutesTest {

    private static final Pattern HTML_REF = Pattern.compile("(?:src|href)\\s*=\\s*[\"'](/[^\"'#?]*)");
    private static final Pattern FETCH = Pattern.compile("fetch\\(\\s*[\"'`](/[^\"'`#?]*)");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*[\"']?(/[^\"')#?]*)");
    private static final String ASSETS = "/dashboard/assets/";
    /** Third-party assets served as shipped: loaded, not walked. */
    private static final Set<String> VENDORED = Set.of("chart.umd.js");

    private final DashboardController controller = new DashboardController();

    private static String body(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static void collect(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** The page and, through its own scripts and stylesheets, every path it loads. */
    private Set<String> referencedPaths() {
        Set<String> paths = new LinkedHashSet<>();
        paths.add("/dashboard");
        collect(HTML_REF, body(controller.page()), paths);
        Deque<String> toWalk = new ArrayDeque<>(paths);
        Set<String> walked = new LinkedHashSet<>();
        while (!toWalk.isEmpty()) {
            String path = toWalk.pop();
            if (!path.startsWith(ASSETS) || !walked.add(path)) {
                continue;
            }
            String name = path.substring(ASSETS.length());
            HttpResponse<byte[]> asset = controller.asset(name);
            assertThat(asset.code()).as("the controller serves %s", path).isEqualTo(200);
            if (VENDORED.contains(name)) {
                continue;
            }
            Set<String> found = new LinkedHashSet<>();
            if (name.endsWith(".js")) {
                collect(FETCH, body(asset), found);
            } else if (name.endsWith(".css")) {
                collect(CSS_URL, body(asset), found);
            }
            found.stream().filter(paths::add).forEach(toWalk::add);
        }
        return paths;
    }

    @Test
    void everyPathTheDashboardLoadsHasARouteToTheApiFunction() {
        Set<String> paths = referencedPaths();
        // The walk found what the page is known to load (it would pass vacuously otherwise).
        assertThat(paths).contains("/dashboard", "/dashboard/assets/dashboard.css", "/dashboard/assets/chart.umd.js",
                "/dashboard/assets/dashboard.js", "/v1/stats/overview");
        List<CfnTemplate.Route> routes = CfnTemplate.load(Path.of("../../template.yaml")).routes("ApiFunction");
        List<String> unrouted = new ArrayList<>();
        for (String path : paths) {
            if (routes.stream().noneMatch(r -> r.matches("GET", path))) {
                unrouted.add("GET " + path);
            }
        }
        assertThat(unrouted).as("paths the dashboard loads without a route in template.yaml (ApiFunction's HttpApi events %s)", routes)
                .isEmpty();
    }

    @Test
    void routeMatchingFollowsApiGatewaysPathVariables() {
        CfnTemplate.Route asset = new CfnTemplate.Route("GET", "/dashboard/assets/{name}");
        assertThat(asset.matches("GET", "/dashboard/assets/dashboard.js")).isTrue();
        assertThat(asset.matches("GET", "/dashboard/assets/")).isFalse();
        assertThat(asset.matches("GET", "/dashboard/assets/a/b.js")).isFalse();
        assertThat(asset.matches("POST", "/dashboard/assets/dashboard.js")).isFalse();
        CfnTemplate.Route proxy = new CfnTemplate.Route("ANY", "/v1/{proxy+}");
        assertThat(proxy.matches("GET", "/v1/stats/overview")).isTrue();
        assertThat(proxy.matches("GET", "/v1")).isFalse();
        assertThat(new CfnTemplate.Route("GET", "/dashboard").matches("GET", "/dashboard/assets/x.js")).isFalse();
    }
}
