package dev.dripline.api;

import dev.dripline.drip.Campaign;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/** {@code GET /v1/campaigns}: a page of campaigns (without their definitions); {@code nextCursor} is null on the last page. */
public record CampaignList(List<Campaign> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
}
