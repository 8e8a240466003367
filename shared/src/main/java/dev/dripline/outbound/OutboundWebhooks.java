package dev.dripline.outbound;

import dev.dripline.json.Json;
import dev.dripline.queue.SqsQueue;
import dev.dripline.schedule.Due;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events for integrators ({@code message.inbound}, {@code message.status}) POSTed to
 * DRIPLINE_OUTBOUND_WEBHOOK_URL, signed with DRIPLINE_OUTBOUND_WEBHOOK_SECRET. Publishing only
 * queues the event (the steps queue), so a slow receiver never slows a provider's webhook; each
 * failed attempt is queued again with an SQS delay that doubles (never a sleeping thread), until
 * the last attempt, whose failure leaves the message to the queue's redrive and dead-letter queue.
 * Every event has an id that stays the same across attempts and redeliveries: receivers dedupe by it.
 */
public final class OutboundWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundWebhooks.class);

    /**
     * @param url         DRIPLINE_OUTBOUND_WEBHOOK_URL; empty: no events are published
     * @param secret      DRIPLINE_OUTBOUND_WEBHOOK_SECRET (required with a URL)
     * @param firstRetry  DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY, default PT5S; then doubling, at most 15 minutes
     * @param maxAttempts DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS, default 10
     */
    public record Config(Optional<URI> url, String secret, Duration firstRetry, int maxAttempts) {
        public static final Config NONE = new Config(Optional.empty(), "", Duration.ofSeconds(5), 10);

        public static Config from(Map<String, String> env) {
            Optional<URI> url = Optional.ofNullable(env.get("DRIPLINE_OUTBOUND_WEBHOOK_URL")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(URI::create);
            String secret = env.getOrDefault("DRIPLINE_OUTBOUND_WEBHOOK_SECRET", "").trim();
            if (url.isPresent() && secret.isEmpty()) {
                throw new IllegalStateException("DRIPLINE_OUTBOUND_WEBHOOK_URL is set but DRIPLINE_OUTBOUND_WEBHOOK_SECRET is not");
            }
            url.ifPresent(u -> {
                if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                    throw new IllegalStateException("DRIPLINE_OUTBOUND_WEBHOOK_URL must be an http(s) URL");
                }
            });
            Duration first = Duration.parse(env.getOrDefault("DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY", "PT5S").trim());
            int max = Integer.parseInt(env.getOrDefault("DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS", "10").trim());
            if (first.isNegative() || first.isZero() || max < 1) {
                throw new IllegalStateException("DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY must be positive and _MAX_ATTEMPTS at least 1");
            }
            return new Config(url, secret, first, max);
        }

        @Override
        public String toString() {
            return "OutboundWebhooks.Config[url=" + url + ", secret=****, firstRetry=" + firstRetry + ", maxAttempts=" + maxAttempts + "]";
        }
    }

    private final Config config;
    private final Supplier<SqsQueue> queue;
    private final Supplier<HttpClient> http;
    private final Clock clock;

    public OutboundWebhooks(Config config, Supplier<SqsQueue> queue, Supplier<HttpClient> http, Clock clock) {
        this.config = config;
        this.queue = queue;
        this.http = http;
        this.clock = clock;
    }

    public boolean enabled() {
        return config.url().isPresent();
    }

    /**
     * Queues an event, if a URL is configured.
     *
     * @param id the event's idempotency id: the same fact published twice has the same id
     */
    public void publish(String type, String id, Instant occurredAt, Map<String, Object> data) {
        if (!enabled()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", type);
        event.put("occurredAt", occurredAt.toString());
        event.put("data", data);
        queue.get().send(new Due.WebhookDelivery(Json.write(event), 1));
    }

    /**
     * One delivery attempt. A 2xx is done; anything else is queued again after a doubling delay,
     * and the last attempt's failure throws (the queue's redrive then takes the message to the DLQ).
     */
    public void deliver(Due.WebhookDelivery delivery) {
        if (!enabled()) {
            LOG.warn("outbound webhook event dropped: DRIPLINE_OUTBOUND_WEBHOOK_URL is no longer set");
            return;
        }
        URI url = config.url().get();
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Dripline-Webhooks/1")
                    .header(OutboundSignature.HEADER, OutboundSignature.sign(config.secret(), clock.instant(), delivery.event()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.event())).build();
            int status = http.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return;
            }
            failure = "answered " + status;
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (delivery.attempt() >= config.maxAttempts()) {
            throw new IllegalStateException("outbound webhook to " + url.getHost() + " failed " + delivery.attempt() + " times (" + failure + ")");
        }
        Duration delay = retryDelay(delivery.attempt());
        LOG.info("outbound webhook to {} {} (attempt {}); again in {}", url.getHost(), failure, delivery.attempt(), delay);
        queue.get().send(new Due.WebhookDelivery(delivery.event(), delivery.attempt() + 1), delay);
    }

    /** The delay after a failed attempt: the first retry delay, doubled each time, at most SQS's 15 minutes. */
    Duration retryDelay(int failedAttempt) {
        long seconds = config.firstRetry().toSeconds() << Math.min(20, failedAttempt - 1);
        return Duration.ofSeconds(Math.min(seconds, SqsQueue.MAX_DELAY.toSeconds()));
    }

    /** The data of a message.inbound event: no more than an integrator needs, the body included (it is their customer's). */
    public static Map<String, Object> inboundData(String messageId, String contactId, String from, String to, String body, String provider) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("messageId", messageId);
        data.put("contactId", contactId);
        data.put("from", from);
        data.put("to", to);
        data.put("body", body);
        data.put("provider", provider);
        return data;
    }
}
