package dev.dripline.auth;

import dev.dripline.errors.RateLimited;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests per API key: a token bucket kept as GCRA on one item per key in the apikeys table
 * (written only by {@link KeyStore}, the table's owner), so every Lambda instance draws on the
 * same bucket. A request with room is one conditional {@code ADD}; an idle bucket is restarted
 * with one conditional {@code SET}; a refused request takes nothing (a client hammering a full
 * bucket does not push its own wait further out). A write lost to a concurrent request is tried
 * again, never answered as a limit.
 *
 * <p>Which of the two writes goes first follows what this instance last saw of the bucket: a
 * bucket whose arrival time was already past (a key used less often than its rate allows, the
 * usual case) is restarted first, a busy one drawn from first, so a request costs one write
 * either way, not a failed conditional write and then the one that works.
 */
public final class KeyRateLimit {

    /** Rounds a request may lose to concurrent ones before giving up; each loss means another request went through. */
    static final int ROUNDS = 32;

    private final KeyStore keys;
    private final KeyLimits limits;
    private final Clock clock;
    /** Per key: the bucket's arrival time (epoch ms) after this instance's last successful write. */
    private final java.util.Map<String, Long> lastSeen = new java.util.concurrent.ConcurrentHashMap<>();

    public KeyRateLimit(KeyStore keys, KeyLimits limits, Clock clock) {
        this.keys = keys;
        this.limits = limits;
        this.clock = clock;
    }

    /** Takes one request from the key's bucket, or throws {@link RateLimited} saying when to retry. */
    public void take(String keyId) {
        long interval = Math.max(1, Math.round(1000.0 / limits.perSecond()));
        long window = interval * limits.burst();
        for (int round = 0; round < ROUNDS; round++) {
            long now = clock.millis();
            long limit = now + window - interval;
            long expiresAt = clock.instant().plus(Duration.ofMillis(window)).plus(Duration.ofHours(1)).getEpochSecond();
            Long seen = lastSeen.get(keyId);
            boolean idleFirst = seen == null || seen < now;
            if (idleFirst && restart(keyId, interval, now, expiresAt) || draw(keyId, interval, now, limit, expiresAt)
                    || !idleFirst && restart(keyId, interval, now, expiresAt)) {
                return;
            }
            long tat = keys.bucketArrivalTime(keyId);
            if (tat > limit) {
                throw new RateLimited("this API key made more than " + limits.burst() + " requests at a rate above "
                        + limits.perSecond() + " per second; retry later", Duration.ofMillis(tat - limit));
            }
            // Room, but another request moved the bucket between our writes: back off a little and go round.
            LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(round, 8))).toNanos());
        }
        throw new RateLimited("this API key's bucket is contended; retry shortly", Duration.ofSeconds(1));
    }

    private boolean restart(String keyId, long interval, long now, long expiresAt) {
        if (keys.restartIdleBucket(keyId, now + interval, now, expiresAt)) {
            lastSeen.put(keyId, now + interval);
            return true;
        }
        return false;
    }

    private boolean draw(String keyId, long interval, long now, long limit, long expiresAt) {
        long tat = keys.drawFromBucket(keyId, interval, now, limit, expiresAt);
        if (tat == Long.MIN_VALUE) {
            return false;
        }
        lastSeen.put(keyId, tat);
        return true;
    }
}
