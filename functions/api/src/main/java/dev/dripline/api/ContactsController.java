package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.audience.Audience;
import dev.dripline.consent.ConsentExport;
import dev.dripline.consent.ConsentLedger;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.ContactPatch;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.gdpr.PersonalData;
import dev.dripline.messaging.MessageStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@io.swagger.v3.oas.annotations.tags.Tag(name = "Contacts")
@Controller("/v1/contacts")
public class ContactsController {

    private final Contacts contacts;
    private final MessageStore messageStore;
    private final Audience audience;
    private final ConsentLedger ledger;
    private final PersonalData personalData;
    private final java.util.function.Supplier<dev.dripline.media.MediaStore> media;
    private final dev.dripline.consent.Topics topics;

    public ContactsController(Dripline dripline) {
        this.contacts = dripline.contacts();
        this.messageStore = dripline.messageStore();
        this.audience = dripline.audience();
        this.ledger = dripline.consentLedger();
        this.personalData = dripline.personalData();
        this.media = dripline::media;
        this.topics = dripline.settings().topics();
    }

    /** Upsert by phone: 201 with the new contact, 200 with the merged one. */
    @Post
    @ApiResponse(responseCode = "201", description = "A new contact", content = @Content(mediaType = "application/json", schema = @Schema(implementation = Contact.class)))
    @ApiResponse(responseCode = "200", description = "The existing contact with this phone, merged",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Contact.class)))
    @io.swagger.v3.oas.annotations.Operation(operationId = "createContact")
    public HttpResponse<Contact> upsert(HttpRequest<?> request, @Body ContactInput input) {
        Contacts.Upserted result = contacts.upsert(input, Actors.of(request));
        return result.created() ? HttpResponse.created(result.contact()) : HttpResponse.ok(result.contact());
    }

    /** Find by phone, tag or segment (all given must hold), or, with none, every contact: {@code {items, nextCursor}}. */
    @Get("{?phone,tag,segment,limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listContacts")
    public ContactList find(@Nullable String phone, @Nullable String tag, @Nullable String segment,
                            @Nullable String limit, @Nullable String cursor) {
        Audience.Page page = audience.find(phone, tag, segment, Limits.parse(limit), cursor);
        return new ContactList(page.items(), page.nextCursor());
    }

    @Get("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getContact")
    public Contact get(String id) {
        return contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
    }

    @Patch("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "updateContact")
    public Contact patch(HttpRequest<?> request, String id, @Body Map<String, Object> body) {
        return contacts.patch(id, ContactPatch.parse(body), Actors.of(request));
    }

    /** GDPR erasure: 204; the number stays only as a salted hash on the suppression list. */
    @Delete("/{id}")
    @ApiResponse(responseCode = "204", description = "Erased")
    @io.swagger.v3.oas.annotations.Operation(operationId = "eraseContact")
    public HttpResponse<Void> erase(HttpRequest<?> request, String id) {
        personalData.erase(id, Actors.of(request));
        return HttpResponse.noContent();
    }

    /** GDPR access: the contact, its consent ledger and its messages both ways. */
    @Get("/{id}/export")
    @io.swagger.v3.oas.annotations.Operation(operationId = "exportContact")
    public Map<String, Object> export(String id) {
        return personalData.export(id);
    }

    /** The consent ledger of one contact, oldest first: JSON {@code {items}}, or ?format=csv|jsonl for auditors. */
    @Get("/{id}/consent{?format}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "getContactConsent")
    public HttpResponse<?> consent(String id, @Nullable String format) {
        contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
        if (format == null || format.isBlank() || "json".equalsIgnoreCase(format)) {
            return HttpResponse.ok(Map.of("items", ledger.entries(id)));
        }
        String f = ConsentExport.format(format);
        return HttpResponse.ok(ConsentExport.render(ledger.entries(id), f)).contentType(ConsentExport.contentType(f));
    }

    /**
     * {@code POST /v1/contacts/{id}/consent}: gives or withdraws consent for one topic, with a
     * ledger entry naming the topic; the contact's other topics and its consent as a whole stay.
     */
    public record TopicConsentChange(@Schema(description = "A topic of DRIPLINE_TOPICS (marketing, reminders, alerts...)") @Nullable String topic,
                                     @Schema(allowableValues = {"opted_in", "opted_out"}) @Nullable String status,
                                     @Schema(description = "Where it was captured (required with opted_in): web_form, api...") @Nullable String source,
                                     @Schema(description = "The exact wording shown, or what the person said") @Nullable String proof,
                                     @Nullable java.time.Instant capturedAt) {
    }

    @Post("/{id}/consent")
    @io.swagger.v3.oas.annotations.Operation(operationId = "updateContactTopicConsent")
    public Contact changeTopicConsent(HttpRequest<?> request, String id, @Body TopicConsentChange change) {
        List<dev.dripline.errors.FieldError> errors = new java.util.ArrayList<>();
        String topic = null;
        if (change == null || change.topic() == null || change.topic().isBlank()) {
            errors.add(new dev.dripline.errors.FieldError("topic", "is required: one of " + String.join(", ", topics.names())));
        } else {
            try {
                topic = topics.resolve(change.topic(), "marketing", "topic");
            } catch (dev.dripline.errors.InvalidInput e) {
                errors.addAll(e.errors());
            }
        }
        dev.dripline.consent.ConsentStatus status = change == null ? null : dev.dripline.consent.ConsentStatus.fromWire(change.status());
        if (status != dev.dripline.consent.ConsentStatus.OPTED_IN && status != dev.dripline.consent.ConsentStatus.OPTED_OUT) {
            errors.add(new dev.dripline.errors.FieldError("status", "must be opted_in or opted_out"));
        } else if (status == dev.dripline.consent.ConsentStatus.OPTED_IN && (change.source() == null || change.source().isBlank())) {
            errors.add(new dev.dripline.errors.FieldError("source", "is required with opted_in: say where consent was captured"));
        }
        if (change != null && change.source() != null && change.source().length() > 200) {
            errors.add(new dev.dripline.errors.FieldError("source", "has more than 200 characters"));
        }
        if (change != null && change.proof() != null && change.proof().length() > 2000) {
            errors.add(new dev.dripline.errors.FieldError("proof", "has more than 2000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new dev.dripline.errors.InvalidInput(errors);
        }
        contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
        contacts.changeConsent(id, topic, status, change.source() == null ? "api" : change.source(), change.proof(), Actors.of(request),
                change.capturedAt(), s -> true, null, tx -> { });
        return contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
    }

    /** The conversation, both directions, oldest first, with statuses: {@code {items, nextCursor}}. */
    @Get("/{id}/messages{?limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listContactMessages")
    public MessagePage messages(String id, @Nullable String limit, @Nullable String cursor) {
        contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
        MessageStore.Page page = messageStore.conversation(id, Limits.parse(limit), cursor);
        return new MessagePage(new dev.dripline.media.MediaLinks(media).shown(page.items()), page.nextCursor());
    }


    /** A page of messages; {@code nextCursor} null on the last. */
    public record MessagePage(List<dev.dripline.messaging.Message> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    /** The list shape of every route: {@code {items, nextCursor}}. */
    static final class Lists {
        private Lists() {
        }

        static Map<String, Object> page(List<?> items, String nextCursor) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("items", items);
            answer.put("nextCursor", nextCursor);
            return answer;
        }
    }
}
