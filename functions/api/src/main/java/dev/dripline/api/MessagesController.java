package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.errors.InvalidInput;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.Category;
import dev.dripline.messaging.Message;
import dev.dripline.messaging.MessageStatus;
import dev.dripline.messaging.Messages;
import dev.dripline.messaging.OneOffMessage;
import dev.dripline.messaging.Sender;
import dev.dripline.messaging.encoding.BodyAnalysis;
import dev.dripline.messaging.encoding.Replacement;
import dev.dripline.messaging.encoding.Ucs2Character;
import dev.dripline.messaging.encoding.Segments;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Tag(name = "Messages")
@Controller("/v1/messages")
public class MessagesController {

    private final Dripline dripline;
    private final Messages messages;
    private final Clock clock;
    private final dev.dripline.Settings settings;

    public MessagesController(Dripline dripline) {
        this.dripline = dripline;
        this.messages = dripline.messages();
        this.clock = dripline.clock();
        this.settings = dripline.settings();
    }

    /** {@code POST /v1/messages} answered 202: the message as accepted; the sender does the rest. */
    public record MessageAccepted(String id, MessageStatus status, String to, Category category, String encoding, Integer segments,
                                  @Nullable Instant sendAt, @Nullable String topic,
                                  @Schema(description = "The jurisdiction's cap rule that deferred it to sendAt") @Nullable HeldBy heldBy) {
    }

    /** What a body costs: its encoding, segments and units, and what forces UCS-2. */
    public record MessagePreview(String encoding, int segments, int units, int unitsPerSegment, @Nullable String smartEncodedBody,
                                 List<Replacement> replacements, List<Ucs2Character> ucs2Characters,
                                 @Schema(description = "The text counted, when a recipient was given") @Nullable String text) {
    }

    /** Accepts a one-off message: 202 with its id and status; the sender does the rest. */
    @Post
    @Operation(operationId = "sendMessage")
    @ApiResponse(responseCode = "202", description = "Accepted: the sender does the rest",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageAccepted.class)))
    @ApiResponse(responseCode = "503", description = "No SMS provider is configured: nothing can be sent (problem+json)")
    public HttpResponse<MessageAccepted> send(HttpRequest<?> request, @Body OneOffMessage body,
                                              @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        SendTimes.notPast(body.sendAt(), clock);
        Message m = messages.send(body, Actors.of(request), idempotencyKey, RequestUrl.of(request, settings));
        return HttpResponse.accepted().body(new MessageAccepted(m.id(), m.status(), m.to(), m.category(), m.encoding(), m.segments(),
                m.sendAt(), m.topic(), m.capHold() == null ? null : new HeldBy(m.capHold().ruleId(), m.capHold().jurisdiction(),
                m.capHold().source())));
    }

    /** What a body costs: encoding, segments, and which characters force UCS-2 and where. */
    @Post("/preview")
    @Operation(operationId = "previewMessage")
    public MessagePreview preview(@Body PreviewRequest request) {
        if (request.body() == null) {
            throw InvalidInput.of("body", "is required");
        }
        if (request.body().length() > Messages.MAX_BODY) {
            throw InvalidInput.of("body", "has " + request.body().length() + " characters; at most " + Messages.MAX_BODY);
        }
        String text = request.body();
        if (request.to() != null) {
            // As it would be sent to that recipient: the jurisdiction's required text, then the brand and opt-out line.
            var to = dev.dripline.contacts.PhoneNumber.parse(request.to(), null, "to");
            var contact = dripline.contacts().byPhone(to.e164());
            Category category = request.category() == null ? Category.TRANSACTIONAL : Category.fromWire(request.category());
            if (category == null) {
                throw InvalidInput.of("category", "must be marketing or transactional");
            }
            text = dev.dripline.compliance.RequiredTexts.forRecipient(text, settings.brand(), category.wire(),
                    contact.map(dev.dripline.contacts.Contact::country).orElse(to.country()), to.e164(),
                    contact.map(dev.dripline.contacts.Contact::attributes).orElse(null), clock.instant());
            if (category == Category.MARKETING) {
                text = dev.dripline.messaging.MarketingText.render(text, settings.brand(), url -> url);
            }
        }
        BodyAnalysis analysis = Segments.analyze(text, Boolean.TRUE.equals(request.smartEncoding()));
        return new MessagePreview(analysis.count().encoding().label(), analysis.count().segments(), analysis.count().units(),
                analysis.count().unitsPerSegment(), analysis.smartEncodedText().orElse(null), analysis.replacements(),
                analysis.ucs2Characters(), request.to() == null ? null : text);
    }

    /** {@code POST /v1/messages/preview}. */
    public record PreviewRequest(@Nullable String body, @Nullable Boolean smartEncoding,
                                 @Schema(description = "A recipient: the body is counted as sent to it (required text, brand, opt-out line)")
                                 @Nullable String to,
                                 @Schema(allowableValues = {"marketing", "transactional"}) @Nullable String category) {
    }

    @Get("/{id}")
    @Operation(operationId = "getMessage")
    public HeldMessage get(String id) {
        Message m = new dev.dripline.media.MediaLinks(dripline::media).shown(messages.get(id).orElseThrow(() -> new NotFound("message", id)));
        return HeldMessage.of(m, dripline.contacts().get(m.contactId()), clock.instant());
    }

    /** Who holds it (the rule's id, jurisdiction and source). */
    public record HeldBy(String id, String jurisdiction, String source) {
    }

    /**
     * A message as stored, and while quiet hours hold a marketing message that is still waiting:
     * until when and by which rule of the compliance table (version {@code rulesVersion}).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record HeldMessage(@com.fasterxml.jackson.annotation.JsonUnwrapped Message message, @Nullable Instant heldUntil,
                              @Nullable HeldBy heldBy, @Nullable String rulesVersion) {
        static HeldMessage of(Message m, java.util.Optional<dev.dripline.contacts.Contact> contact, Instant now) {
            if (m.capHold() != null && m.status() == MessageStatus.ACCEPTED && m.sendAt() != null && m.sendAt().isAfter(now)) {
                // Deferred by a jurisdiction's cap (Florida: 3 in 24 hours) until its window frees.
                Message.CapHold h = m.capHold();
                return new HeldMessage(m, h.until(), new HeldBy(h.ruleId(), h.jurisdiction(), h.source()),
                        dev.dripline.compliance.RulesTable.bundled().version());
            }
            boolean waiting = m.direction() == dev.dripline.messaging.Direction.OUTBOUND && m.category() == Category.MARKETING
                    && m.status() == MessageStatus.ACCEPTED && (m.sendAt() == null || !m.sendAt().isAfter(now));
            if (!waiting) {
                return new HeldMessage(m, null, null, null);
            }
            String country = contact.map(dev.dripline.contacts.Contact::country).orElse(null);
            var d = dev.dripline.compliance.QuietHours.decide(now, Sender.zones(contact, m.to()),
                    dev.dripline.compliance.QuietHours.Jurisdiction.of(country, m.to(),
                            contact.map(dev.dripline.contacts.Contact::attributes).orElse(null)));
            if (d.allowed()) {
                return new HeldMessage(m, null, null, d.rulesVersion());
            }
            HeldBy by = d.heldBy() == null ? null : new HeldBy(d.heldBy().id(), d.heldBy().jurisdiction(), d.heldBy().source());
            return new HeldMessage(m, d.nextAllowedAt(), by, d.rulesVersion());
        }
    }
}
