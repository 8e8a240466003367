package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.outbound.OutboundWebhooks;
import dev.dripline.outbound.WebhookDelivery;
import dev.dripline.outbound.WebhookEndpoint;
import dev.dripline.outbound.WebhookEndpoints;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Integrators' webhook endpoints (admin scope): create (the signing secret is in that answer
 * only), list, read, change, delete, rotate the secret, read the delivery log, replay a delivery.
 * Bodies are read as JSON objects and checked field by field by the core, so an unknown field is
 * a 422 naming it.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Webhook endpoints")
@Controller("/v1/webhook-endpoints")
public class WebhookEndpointsController {

    private final WebhookEndpoints endpoints;
    private final OutboundWebhooks webhooks;

    public WebhookEndpointsController(Dripline dripline) {
        this.endpoints = dripline.webhookEndpoints();
        this.webhooks = dripline.outboundWebhooks();
    }

    /** {@code POST /v1/webhook-endpoints}. */
    @Schema(name = "NewWebhookEndpoint")
    public record NewWebhookEndpoint(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "https://crm.example.com/hooks/dripline") String url,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "[\"contact.opted_out\", \"message.inbound\"]",
                    description = "message.inbound, message.status, contact.opted_in, contact.opted_out, campaign.answered, or * for every event")
            List<String> eventTypes,
            @Nullable @Schema(example = "CRM sync") String description,
            @Nullable @Schema(description = "default true") Boolean enabled) {
    }

    /** {@code PATCH} (only the fields given change) or {@code PUT} (url and eventTypes required) of an endpoint. */
    @Schema(name = "WebhookEndpointChange")
    public record WebhookEndpointChange(@Nullable String url, @Nullable List<String> eventTypes, @Nullable String description,
                                        @Nullable Boolean enabled) {
    }

    /** A new endpoint with its signing secret, shown this once. */
    @Schema(name = "CreatedWebhookEndpoint")
    public record CreatedWebhookEndpoint(String id, String url, List<String> eventTypes, @Nullable String description, boolean enabled,
                                         Instant createdAt, Instant updatedAt, String secret) {
    }

    @Schema(name = "WebhookEndpointList")
    public record WebhookEndpointList(List<WebhookEndpoint> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Schema(name = "WebhookDeliveryList")
    public record WebhookDeliveryList(List<WebhookDelivery> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    /** {@code POST .../rotate-secret}: how long the old secret keeps signing too (default PT24H, at most P7D; PT0S: not at all). */
    @Schema(name = "SecretRotation")
    public record SecretRotation(@Nullable @Schema(example = "PT24H") String overlap) {
    }

    /** The new secret, shown this once. */
    @Schema(name = "RotatedWebhookSecret")
    public record RotatedWebhookSecret(String id, String secret, @Nullable Instant previousSecretExpiresAt) {
    }

    @Post
    @Operation(operationId = "createWebhookEndpoint", summary = "Create a webhook endpoint; its signing secret is in this answer only")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewWebhookEndpoint.class)))
    @ApiResponse(responseCode = "201", description = "The new endpoint and its secret",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedWebhookEndpoint.class)))
    public HttpResponse<CreatedWebhookEndpoint> create(@Body Map<String, Object> body) {
        WebhookEndpoints.Created created = endpoints.create(body);
        WebhookEndpoint e = created.endpoint();
        return HttpResponse.created(new CreatedWebhookEndpoint(e.id(), e.url(), e.eventTypes(), e.description(), e.enabled(),
                e.createdAt(), e.updatedAt(), created.secret()));
    }

    @Get("{?limit,cursor}")
    @Operation(operationId = "listWebhookEndpoints", summary = "List webhook endpoints (never their secrets)")
    public WebhookEndpointList list(@Nullable String limit, @Nullable String cursor) {
        WebhookEndpoints.Page<WebhookEndpoint> page = endpoints.list(Limits.parse(limit), cursor);
        return new WebhookEndpointList(page.items(), page.nextCursor());
    }

    @Get("/{id}")
    @Operation(operationId = "getWebhookEndpoint", summary = "Read a webhook endpoint")
    public WebhookEndpoint get(String id) {
        return endpoints.get(id);
    }

    @Patch("/{id}")
    @Operation(operationId = "updateWebhookEndpoint", summary = "Change some of an endpoint's url, eventTypes, description, enabled")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookEndpointChange.class)))
    public WebhookEndpoint update(String id, @Body Map<String, Object> body) {
        return endpoints.update(id, body, false);
    }

    @Put("/{id}")
    @Operation(operationId = "replaceWebhookEndpoint", summary = "Replace an endpoint's url, eventTypes, description, enabled")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(implementation = NewWebhookEndpoint.class)))
    public WebhookEndpoint replace(String id, @Body Map<String, Object> body) {
        return endpoints.update(id, body, true);
    }

    @Delete("/{id}")
    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete an endpoint; deliveries still queued to it are cancelled")
    @ApiResponse(responseCode = "204", description = "Deleted")
    public HttpResponse<Void> delete(String id) {
        endpoints.delete(id);
        return HttpResponse.noContent();
    }

    @Post("/{id}/rotate-secret")
    @Operation(operationId = "rotateWebhookEndpointSecret",
            summary = "A new signing secret; the old one also signs (a second v1 in X-Dripline-Signature) during the overlap")
    @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = SecretRotation.class)))
    @ApiResponse(responseCode = "200", description = "The new secret",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RotatedWebhookSecret.class)))
    public RotatedWebhookSecret rotate(String id, @Nullable @Body Map<String, Object> body) {
        WebhookEndpoints.Rotated rotated = endpoints.rotate(id, body);
        return new RotatedWebhookSecret(rotated.id(), rotated.secret(), rotated.previousSecretExpiresAt());
    }

    @Get("/{id}/deliveries{?limit,cursor}")
    @Operation(operationId = "listWebhookDeliveries", summary = "An endpoint's deliveries, newest first, each with every attempt")
    public WebhookDeliveryList deliveries(String id, @Nullable String limit, @Nullable String cursor) {
        WebhookEndpoints.Page<WebhookDelivery> page = endpoints.deliveries(id, Limits.parse(limit), cursor);
        return new WebhookDeliveryList(page.items(), page.nextCursor());
    }

    @Post("/{id}/deliveries/{deliveryId}/replay")
    @Operation(operationId = "replayWebhookDelivery", summary = "Send a delivery's event again, as a new delivery from its first attempt")
    @ApiResponse(responseCode = "202", description = "The new delivery, queued",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WebhookDelivery.class)))
    public HttpResponse<WebhookDelivery> replay(String id, String deliveryId) {
        return HttpResponse.accepted().body(webhooks.replay(id, deliveryId));
    }
}
