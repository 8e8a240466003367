package dev.dripline.outbound;

import dev.dripline.config.Env;
import dev.dripline.config.Secret;

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
import dev.dripline.errors.Conflict;
import dev.dripline.errors.NotFound;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events for integrators ({@code message.inbound}, {@code message.status}, {@code contact.opted_in},
 * {@code contact.opted_out}) POSTed to every enabled endpoint of /v1/webhook-endpoints that takes
 * their type ({@link WebhookEndpoints}, each delivery with its own retries and log), and to
 * DRIPLINE_OUTBOUND_WEBHOOK_URL if set (every type, signed with DRIPLINE_OUTBOUND_WEBHOOK_SECRET,
 * no log: the start-up default from before endpoints existed). Publishing only
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
    public record Config(Optional<URI> url, Secret secret, Duration firstRetry, int maxAttempts, WebhookAddress endpointPolicy) {
        public static final Config NONE = new Config(Optional.empty(), Secret.of(""), Duration.ofSeconds(5), 10);

        /** Endpoints restricted as on AWS: https, public addresses only. */
        public Config(Optional<URI> url, Secret secret, Duration firstRetry, int maxAttempts) {
            this(url, secret, firstRetry, maxAttempts, new WebhookAddress(true, false));
        }

        public static Config from(Env env) {
            Optional<URI> url = env.optionalUri("DRIPLINE_OUTBOUND_WEBHOOK_URL");
            Optional<Secret> secret = env.secret("DRIPLINE_OUTBOUND_WEBHOOK_SECRET");
            if (url.isPresent() && secret.isEmpty()) {
                throw new IllegalStateException("DRIPLINE_OUTBOUND_WEBHOOK_URL is set but DRIPLINE_OUTBOUND_WEBHOOK_SECRET is not");
            }
            url.ifPresent(u -> {
                if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
                    throw new IllegalStateException("DRIPLINE_OUTBOUND_WEBHOOK_URL must be an http(s) URL");
                }
            });
            // https only on AWS; private addresses only where DRIPLINE_WEBHOOKS_ALLOW_PRIVATE says (the local runtime does).
            boolean onAws = !env.string("AWS_LAMBDA_FUNCTION_NAME", "").isBlank();
            return new Config(url, secret.orElse(Secret.of("")), env.duration("DRIPLINE_OUTBOUND_WEBHOOK_FIRST_RETRY", Duration.ofSeconds(5)),
                    env.integer("DRIPLINE_OUTBOUND_WEBHOOK_MAX_ATTEMPTS", 10, 1, Integer.MAX_VALUE),
                    new WebhookAddress(onAws, env.flag("DRIPLINE_WEBHOOKS_ALLOW_PRIVATE", false)));
        }
    }

    private final Config config;
    private final Supplier<SqsQueue> queue;
    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final WebhookEndpoints endpoints;

    public OutboundWebhooks(Config config, Supplier<SqsQueue> queue, Supplier<HttpClient> http, Clock clock) {
        this(config, queue, http, clock, null);
    }

    /** @param endpoints the endpoints of /v1/webhook-endpoints; null: only the configured URL */
    public OutboundWebhooks(Config config, Supplier<SqsQueue> queue, Supplier<HttpClient> http, Clock clock, WebhookEndpoints endpoints) {
        this.config = config;
        this.queue = queue;
        this.http = http;
        this.clock = clock;
        this.endpoints = endpoints;
    }

    /** Whether any event would go anywhere: the configured URL, or an enabled endpoint. */
    public boolean enabled() {
        return config.url().isPresent() || (endpoints != null && endpoints.any());
    }

    /**
     * Queues an event for the configured URL and for each enabled endpoint that takes its type,
     * each endpoint's delivery recorded in its log first.
     *
     * @param id the event's idempotency id: the same fact published twice has the same id
     */
    public void publish(String type, String id, Instant occurredAt, Map<String, Object> data) {
        List<WebhookEndpoints.Stored> targets = endpoints == null ? List.of() : endpoints.subscribed(type);
        if (config.url().isEmpty() && targets.isEmpty()) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", id);
        event.put("type", type);
        event.put("occurredAt", occurredAt.toString());
        event.put("data", data);
        String json = Json.write(event);
        if (config.url().isPresent()) {
            queue.get().send(new Due.WebhookDelivery(json, 1));
        }
        for (WebhookEndpoints.Stored endpoint : targets) {
            String deliveryId = endpoints.recordDelivery(endpoint.id(), id, type, json, null);
            queue.get().send(new Due.WebhookDelivery(json, 1, endpoint.id(), deliveryId));
        }
    }

    /**
     * Sends a delivery again from its first attempt, as a new delivery of the same event (same
     * event id: receivers that dedupe by it see a replay of something they took as a duplicate).
     */
    public WebhookDelivery replay(String endpointId, String deliveryId) {
        WebhookEndpoints.Stored endpoint = endpoints.stored(endpointId).orElseThrow(() -> new NotFound("webhook endpoint", endpointId));
        if (!endpoint.enabled()) {
            throw new Conflict("webhook endpoint " + endpointId + " is disabled: enable it (PATCH {\"enabled\": true}) to replay to it");
        }
        WebhookEndpoints.StoredDelivery old = endpoints.delivery(endpointId, deliveryId)
                .orElseThrow(() -> new NotFound("webhook delivery", deliveryId));
        String id = endpoints.recordDelivery(endpointId, old.delivery().eventId(), old.delivery().eventType(), old.event(), deliveryId);
        queue.get().send(new Due.WebhookDelivery(old.event(), 1, endpointId, id));
        return endpoints.delivery(endpointId, id).orElseThrow().delivery();
    }

    /**
     * One delivery attempt. A 2xx is done; anything else is queued again after a doubling delay.
     * To the configured URL, the last attempt's failure throws (the queue's redrive then takes the
     * message to the DLQ); to an endpoint, it is logged as failed, to be replayed through the API.
     */
    public void deliver(Due.WebhookDelivery delivery) {
        if (delivery.endpointId() != null) {
            deliverToEndpoint(delivery);
            return;
        }
        if (config.url().isEmpty()) {
            LOG.warn("outbound webhook event dropped: DRIPLINE_OUTBOUND_WEBHOOK_URL is no longer set");
            return;
        }
        URI url = config.url().get();
        String failure;
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Dripline-Webhooks/1")
                    .header(OutboundSignature.HEADER, OutboundSignature.sign(config.secret().reveal(), clock.instant(), delivery.event()))
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

    private void deliverToEndpoint(Due.WebhookDelivery delivery) {
        Instant now = clock.instant();
        Optional<WebhookEndpoints.Stored> found = endpoints.stored(delivery.endpointId());
        if (found.isEmpty() || !found.get().enabled()) {
            endpoints.recordAttempt(delivery.endpointId(), delivery.deliveryId(), new WebhookDelivery.Attempt(delivery.attempt(), now, null,
                    found.isEmpty() ? "the endpoint was deleted" : "the endpoint is disabled", null, null), "cancelled");
            return;
        }
        WebhookEndpoints.Stored endpoint = found.get();
        Integer status = null;
        String failure;
        long started = System.nanoTime();
        // Checked again now: the name may resolve elsewhere than when the endpoint was saved (DNS rebinding).
        Optional<String> refused = endpoints.policy().refusal(endpoint.url(), endpoints.resolver());
        if (refused.isPresent()) {
            failure = "not sent: the URL " + refused.get();
        } else {
            try {
                HttpRequest request = HttpRequest.newBuilder(endpoint.url()).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Dripline-Webhooks/1")
                        .header(OutboundSignature.HEADER, OutboundSignature.sign(endpoint.signingSecrets(now), now, delivery.event()))
                        .header("X-Dripline-Delivery-Id", delivery.deliveryId())
                        .header("X-Dripline-Delivery-Attempt", Integer.toString(delivery.attempt()))
                        .POST(HttpRequest.BodyPublishers.ofString(delivery.event())).build();
                status = http.get().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                failure = status / 100 == 2 ? null : "answered " + status;
            } catch (IOException e) {
                failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (failure == null) {
            endpoints.recordAttempt(endpoint.id(), delivery.deliveryId(), new WebhookDelivery.Attempt(delivery.attempt(), now, status, null, ms, null),
                    "succeeded");
            return;
        }
        boolean last = delivery.attempt() >= config.maxAttempts();
        Duration delay = retryDelay(delivery.attempt());
        endpoints.recordAttempt(endpoint.id(), delivery.deliveryId(), new WebhookDelivery.Attempt(delivery.attempt(), now, status,
                failure.length() > 300 ? failure.substring(0, 300) : failure, ms, last ? null : now.plus(delay)), last ? "failed" : "retrying");
        LOG.info("webhook delivery {} to {} {} (attempt {}){}", delivery.deliveryId(), endpoint.url().getHost(), failure, delivery.attempt(),
                last ? "; no attempts left" : "; again in " + delay);
        if (!last) {
            queue.get().send(new Due.WebhookDelivery(delivery.event(), delivery.attempt() + 1, endpoint.id(), delivery.deliveryId()), delay);
        }
    }

    /** The data of a contact.opted_in or contact.opted_out event, from its consent ledger entry. */
    public static Map<String, Object> consentData(dev.dripline.consent.ConsentEntry entry, String phone) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("contactId", entry.contactId());
        data.put("phone", phone);
        data.put("status", entry.status().wire());
        data.put("source", entry.source());
        data.put("channel", entry.channel());
        data.put("capturedAt", entry.capturedAt() == null ? null : entry.capturedAt().toString());
        data.put("ledgerEntryId", entry.entryId());
        if (entry.topic() != null) {
            // A change of one topic only; absent: the contact's consent as a whole.
            data.put("topic", entry.topic());
        }
        return data;
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
