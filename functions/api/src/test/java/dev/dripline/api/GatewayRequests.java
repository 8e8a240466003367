package dev.dripline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Requests as API Gateway's HTTP API (payload 2.0, $default stage) hands them to the api function, for the handler tests. */
final class GatewayRequests {

    private GatewayRequests() {
    }

    /**
     * A JSON request with a bearer key; {@code pathAndQuery} may carry a query string, which
     * arrives both raw and as decoded parameters, as API Gateway sends it.
     */
    static APIGatewayV2HTTPEvent json(String method, String pathAndQuery, String body, String key, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>();
        headers.put("accept", "application/json");
        headers.put("authorization", "Bearer " + key);
        if (body != null) {
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        extraHeaders.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                .withSourceIp("198.51.100.23").build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withRawQueryString(query).withQueryStringParameters(parameters.isEmpty() ? null : parameters).withHeaders(headers)
                .withBody(body).withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default").build()).build();
    }
}
