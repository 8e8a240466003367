package dev.dripline.drip;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Campaign heads as a steps function last read them: a step reads its campaign's status once a
 * second at most ({@link #TTL}); a pause takes up to that long to reach a running function.
 */
final class CampaignHeads {

    /** How long a pause or an archive may take to reach a running steps function. */
    static final Duration TTL = Duration.ofSeconds(1);

    private record Cached(Optional<Campaign> campaign, long readAt) {
    }

    private final Campaigns campaigns;
    private final Map<String, Cached> heads = new ConcurrentHashMap<>();

    CampaignHeads(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    Optional<Campaign> head(String campaignId) {
        long now = System.nanoTime();
        Cached cached = heads.get(campaignId);
        // Only "active" is trusted from the cache: a hold or an end is decided on a fresh read,
        // so a resume is never missed by an instance that saw the pause a moment ago.
        if (cached != null && now - cached.readAt() < TTL.toNanos()
                && cached.campaign().map(c -> c.status() == Campaign.Status.ACTIVE).orElse(false)) {
            return cached.campaign();
        }
        Optional<Campaign> read = campaigns.find(campaignId);
        heads.put(campaignId, new Cached(read, now));
        return read;
    }
}
