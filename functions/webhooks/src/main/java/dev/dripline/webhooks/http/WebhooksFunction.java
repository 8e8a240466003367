package dev.dripline.webhooks.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.dripline.Priming;
import dev.dripline.http.CoreBeans;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import java.util.Map;

/**
 * The webhooks Lambda: provider callbacks from API Gateway into the Micronaut controllers.
 * SnapStart priming sends one unsigned receipt through the stack, which is refused (403) after
 * loading the routing, the signature check and the error path.
 */
public class WebhooksFunction extends APIGatewayV2HTTPEventFunction {

    static {
        // Runs before Micronaut starts: the core's clients build in parallel with the context.
        CoreBeans.startEarlyOnLambda();
    }

    public WebhooksFunction() {
        super();
        Priming.register("webhooks", () -> handleRequest(primingEvent(), null));
    }

    public WebhooksFunction(ApplicationContext context) {
        super(context);
    }

    static APIGatewayV2HTTPEvent primingEvent() {
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("POST").withPath("/webhooks/simulator/status").withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/webhooks/simulator/status")
                .withRawQueryString("m=msg_priming")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"id\":\"sim_priming\",\"status\":\"sent\"}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withStage("$default").build())
                .withIsBase64Encoded(false)
                .build();
    }
}
