package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.analytics.Analytics;
import dev.dripline.errors.InvalidInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import java.util.Map;

/**
 * Campaign stats and the dashboard's overview, read from the counters (a few reads whatever
 * the campaign's size).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Stats")
@Controller("/v1")
public class StatsController {

    static final int MAX_DAYS = 400;

    private final Analytics analytics;

    public StatsController(Dripline dripline) {
        this.analytics = dripline.analytics();
    }

    /** Totals, rates, steps and variants with the A/B test; 404 only when the campaigns say it does not exist. */
    @Get("/campaigns/{id}/stats")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getCampaignStats")
    public Map<String, Object> campaign(String id) {
        return analytics.campaignStats(id);
    }

    /** Every campaign's and broadcast's totals and {@code days} (default 30) of daily series. */
    @Get("/stats/overview")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getStatsOverview")
    public Map<String, Object> overview(@Nullable @QueryValue String days) {
        int n;
        try {
            n = days == null ? 30 : Integer.parseInt(days.trim());
        } catch (NumberFormatException e) {
            throw InvalidInput.of("days", "must be a whole number of days");
        }
        if (n < 1 || n > MAX_DAYS) {
            throw InvalidInput.of("days", "must be between 1 and " + MAX_DAYS);
        }
        return analytics.overview(n);
    }
}
