package dev.dripline.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.dripline.Priming;
import dev.dripline.http.CoreBeans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import java.util.Map;

/**
 * The api Lambda: API Gateway HTTP API (payload 2.0) events into the Micronaut controllers.
 * For SnapStart it primes itself with one unauthenticated request through the whole stack
 * (routing, the key filter, problem+json), which loads most of what a real request needs.
 */
public class ApiFunction extends APIGatewayV2HTTPEventFunction {

    static {
        // Runs before Micronaut starts: the core's clients build in parallel with the context.
        CoreBeans.startEarlyOnLambda();
    }

    public ApiFunction() {
        super();
        registerPriming();
    }

    public ApiFunction(ApplicationContext context) {
        super(context);
    }

    /** As the server does for every request: an Accept that admits JSON without naming it gets application/json added. */
    @Override
    public com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event,
                                                                                           com.amazonaws.services.lambda.runtime.Context context) {
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("accept") && h.getValue() != null) {
                    String admitted = dev.dripline.http.AcceptJson.admitted(java.util.List.of(h.getValue()));
                    if (admitted != null) {
                        Map<String, String> copy = new java.util.HashMap<>(headers);
                        copy.put(h.getKey(), admitted);
                        event.setHeaders(copy);
                    }
                    break;
                }
            }
        }
        return super.handleRequest(event, context);
    }

    private void registerPriming() {
        Priming.register("api", () -> handleRequest(primingEvent(), null));
    }

    static APIGatewayV2HTTPEvent primingEvent() {
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("GET").withPath("/v1/contacts/ct_priming").withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/v1/contacts/ct_priming")
                .withRawQueryString("")
                .withHeaders(Map.of("accept", "application/json"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default").build())
                .withIsBase64Encoded(false)
                .build();
    }
}
