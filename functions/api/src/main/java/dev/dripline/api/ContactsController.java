package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import dev.dripline.messaging.MessageStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

@Controller("/v1/contacts")
public class ContactsController {

    private final Contacts contacts;
    private final MessageStore messageStore;

    public ContactsController(Dripline dripline) {
        this.contacts = dripline.contacts();
        this.messageStore = dripline.messageStore();
    }

    /** Upsert by phone: 201 with the new contact, 200 with the merged one. */
    @Post
    public HttpResponse<Contact> upsert(HttpRequest<?> request, @Body ContactInput input) {
        Contacts.Upserted result = contacts.upsert(input, Actors.of(request));
        return result.created() ? HttpResponse.created(result.contact()) : HttpResponse.ok(result.contact());
    }

    @Get("/{id}")
    public Contact get(String id) {
        return contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
    }

    /** The conversation, both directions, oldest first, with statuses: {@code {items, nextCursor}}. */
    @Get("/{id}/messages{?limit,cursor}")
    public Map<String, Object> messages(String id, @Nullable String limit, @Nullable String cursor) {
        contacts.get(id).orElseThrow(() -> new NotFound("contact", id));
        MessageStore.Page page = messageStore.conversation(id, Limits.parse(limit), cursor);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", page.items());
        answer.put("nextCursor", page.nextCursor());
        return answer;
    }
}
