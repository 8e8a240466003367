package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.messaging.Messages;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * What this deployment can do, for the operator after a deploy: whether any SMS provider is
 * configured (without one every send is refused with 503) and which, in failover order.
 */
@Tag(name = "Health")
@Controller("/v1/health")
public class HealthController {

    /** {@code GET /v1/health}. */
    public record Health(@Schema(allowableValues = {"ok", "no_provider"}) String status,
                         @Schema(description = "Providers in failover order (DRIPLINE_PROVIDERS)") List<String> providers,
                         @Schema(description = "Whether sends are accepted") boolean sending,
                         @Schema(description = "What to configure, when sending is off") String detail) {
    }

    private final Health health;

    public HealthController(Dripline dripline) {
        List<String> providers = dripline.settings().providers();
        this.health = !dripline.settings().hasProvider()
                ? new Health("no_provider", providers, false, Messages.NO_PROVIDER)
                : new Health("ok", providers, true, null);
    }

    @Get
    @Operation(operationId = "getHealth")
    public Health getHealth() {
        return health;
    }
}
