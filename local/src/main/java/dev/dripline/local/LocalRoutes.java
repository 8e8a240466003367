package dev.dripline.local;

import dev.dripline.contacts.PhoneNumber;
import dev.dripline.errors.FieldError;
import dev.dripline.errors.InvalidInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes only the local runtime has: the simulated handsets, the movable clock, and the
 * simulated carrier's provider API that the sender's simulator adapter calls.
 */
@Controller("/local")
public class LocalRoutes {

    private final SimulatedCarrier carrier;
    private final MovableClock clock;
    private final Timeline timeline;

    public LocalRoutes(SimulatedCarrier carrier, Timeline timeline) {
        this.carrier = carrier;
        this.clock = timeline.clock();
        this.timeline = timeline;
    }

    /**
     * A body for the handset routes: text, and for an MMS {@code picture: "sample"} (the built-in
     * picture) and/or {@code media: [{contentType, base64}]} (an image picked).
     */
    public record Reply(@Nullable String body, @Nullable String picture, @Nullable List<PickedMedia> media) {
    }

    /** One picked file: its type and its bytes in base64. */
    public record PickedMedia(@Nullable String contentType, @Nullable String base64) {
    }

    /** The most a handset sends in one MMS, per file (what Twilio and Plivo carry in a whole MMS). */
    static final int MAX_PICTURE_BYTES = 5 * 1024 * 1024;

    public record CarrierMessage(@Nullable String from, @Nullable String to, @Nullable String body,
                                 @Nullable String messageId, @Nullable String statusCallback, @Nullable List<String> mediaUrls) {
    }

    public record Advance(@Nullable String duration) {
    }

    @Get("/phones/{+phone}/messages")
    public Map<String, Object> handset(String phone) {
        return Map.of("items", carrier.messages(e164(phone)));
    }

    @Post("/phones/{+phone}/reply")
    public HttpResponse<Map<String, Object>> reply(String phone, @Body Reply reply) {
        List<SimulatedCarrier.Picture> pictures = pictures(reply);
        if (reply.body() == null && pictures.isEmpty()) {
            throw InvalidInput.of("body", "is required (or a picture)");
        }
        SimulatedCarrier.ReplyResult result = carrier.reply(e164(phone), reply.body() == null ? "" : reply.body(), pictures);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", result.id());
        answer.put("webhookStatus", result.webhookStatus());
        return HttpResponse.accepted().body(answer);
    }

    /**
     * The simulated time; {@code tomorrow} (now + 1 day, whole seconds) and {@code tomorrowDate}
     * (its UTC date) spare the tour's shell from date arithmetic on the runtime's clock, which
     * differs from the host's once it has been advanced.
     */
    @Get("/clock")
    public Map<String, Object> clock() {
        java.time.Instant now = clock.instant();
        java.time.Instant tomorrow = now.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("now", now.toString());
        answer.put("offset", clock.offset().toString());
        answer.put("tomorrow", tomorrow.toString());
        answer.put("tomorrowDate", tomorrow.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString());
        return answer;
    }

    @Post("/clock/advance")
    public Map<String, Object> advance(@Body Advance advance) {
        if (advance.duration() == null) {
            throw InvalidInput.of("duration", "is required, as ISO-8601 (PT1H, P3D)");
        }
        Duration by;
        try {
            by = Duration.parse(advance.duration());
        } catch (DateTimeParseException e) {
            throw InvalidInput.of("duration", "'" + advance.duration() + "' is not an ISO-8601 duration (PT1H, P3D)");
        }
        if (by.isNegative() || by.isZero()) {
            throw InvalidInput.of("duration", "must be positive: the clock only moves forward");
        }
        Timeline.Advanced done = timeline.advance(by);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("now", done.now().toString());
        answer.put("offset", done.offset().toString());
        answer.put("stops", done.stops());
        if (done.jumped()) {
            answer.put("jumped", true);
        }
        return answer;
    }

    /** The simulated carrier's send API ({@code POST /local/carrier/messages}): 201 {id}. */
    @Post("/carrier/messages")
    public HttpResponse<Map<String, Object>> carrierSend(@Body CarrierMessage message) {
        List<FieldError> errors = new ArrayList<>();
        if (message.to() == null || !message.to().matches("\\+[1-9]\\d{6,14}")) {
            errors.add(new FieldError("to", "must be an E.164 number"));
        }
        boolean mms = message.mediaUrls() != null && !message.mediaUrls().isEmpty();
        if ((message.body() == null || message.body().isEmpty()) && !mms) {
            errors.add(new FieldError("body", "is required (or mediaUrls)"));
        }
        URI callback = null;
        try {
            callback = message.statusCallback() == null ? null : URI.create(message.statusCallback());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("statusCallback", "is not a URL"));
        }
        if (callback == null && errors.stream().noneMatch(e -> e.field().equals("statusCallback"))) {
            errors.add(new FieldError("statusCallback", "is required"));
        } else if (callback != null && !carrier.ownStatusWebhook(callback)) {
            // The carrier signs what it posts: it only ever calls this runtime's own webhook.
            errors.add(new FieldError("statusCallback", "must be this runtime's " + carrier.statusWebhook() + " (with any query)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        List<SimulatedCarrier.ReceivedMedia> media;
        try {
            media = carrier.fetchMedia(message.mediaUrls());
        } catch (SimulatedCarrier.MediaUnreachable unreachable) {
            throw InvalidInput.of("mediaUrls", unreachable.getMessage());
        }
        String id = carrier.accept(message.from(), message.to(), message.body() == null ? "" : message.body(), message.messageId(),
                callback, media);
        return HttpResponse.created(Map.of("id", id));
    }

    private static List<SimulatedCarrier.Picture> pictures(Reply reply) {
        List<SimulatedCarrier.Picture> pictures = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (reply.picture() != null) {
            if (reply.picture().equals("sample")) {
                pictures.add(SimulatedCarrier.SAMPLE);
            } else {
                errors.add(new FieldError("picture", "must be \"sample\" (the built-in picture); send your own in media"));
            }
        }
        List<PickedMedia> media = reply.media() == null ? List.of() : reply.media();
        if (media.size() + pictures.size() > dev.dripline.conversations.InboundSms.MAX_MEDIA) {
            errors.add(new FieldError("media", "at most " + dev.dripline.conversations.InboundSms.MAX_MEDIA + " pictures in one MMS"));
        }
        for (int i = 0; i < media.size() && errors.isEmpty(); i++) {
            PickedMedia m = media.get(i);
            String type = m.contentType() == null ? "" : m.contentType().trim().toLowerCase(java.util.Locale.ROOT);
            if (!type.matches("(image|video|audio)/[a-z0-9.+-]+")) {
                errors.add(new FieldError("media[" + i + "].contentType", "must be an image/, video/ or audio/ type"));
                continue;
            }
            byte[] bytes;
            try {
                bytes = java.util.Base64.getMimeDecoder().decode(m.base64() == null ? "" : m.base64());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("media[" + i + "].base64", "is not base64"));
                continue;
            }
            if (bytes.length == 0 || bytes.length > MAX_PICTURE_BYTES) {
                errors.add(new FieldError("media[" + i + "].base64", "must hold 1 to " + MAX_PICTURE_BYTES + " bytes"));
                continue;
            }
            pictures.add(new SimulatedCarrier.Picture(type, bytes));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
        return pictures;
    }

    /** The carrier's media host: a picture a handset sent, to Dripline's signed fetch only (404 otherwise). */
    @Get("/carrier/media/{id}")
    public HttpResponse<byte[]> carrierMedia(String id, @Nullable @io.micronaut.http.annotation.Header(
            dev.dripline.webhooks.SimulatorSignature.HEADER) String signature) {
        return carrier.picture(id, signature)
                .<HttpResponse<byte[]>>map(p -> HttpResponse.ok(p.bytes()).contentType(p.contentType()))
                .orElseGet(HttpResponse::notFound);
    }

    /** A handset as a page: its messages, oldest first, with the pictures an MMS brought. */
    @Get(value = "/handset/{phone}", produces = io.micronaut.http.MediaType.TEXT_HTML)
    public String handsetPage(String phone) {
        String number = e164(phone);
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Handset</title></head><body>")
                .append("<h1>").append(escape(number)).append("</h1><ol>");
        for (SimulatedCarrier.HandsetMessage m : carrier.messages(number)) {
            html.append("<li class=\"").append(m.direction()).append("\"><b>").append(m.direction().equals("outbound") ? "received" : "sent")
                    .append("</b> ").append(escape(m.at().toString())).append("<p>").append(escape(m.body())).append("</p>");
            for (SimulatedCarrier.ReceivedMedia media : m.media()) {
                if (media.contentType().startsWith("image/")) {
                    html.append("<img alt=\"picture\" style=\"max-width:240px\" src=\"").append(escape(media.url())).append("\">");
                } else {
                    html.append("<a href=\"").append(escape(media.url())).append("\">").append(escape(media.contentType())).append("</a>");
                }
            }
            html.append("</li>");
        }
        return html.append("</ol></body></html>").toString();
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Handset routes take the number as E.164 ({@code +14155550123}) or URL-encoded. */
    private static String e164(String phone) {
        // An unencoded '+' in a path can reach us decoded as a space.
        String trimmed = phone.trim();
        return PhoneNumber.parse(trimmed.startsWith("+") ? trimmed : "+" + trimmed, null, "phone").e164();
    }
}
