package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.contacts.Contact;
import dev.dripline.contacts.ContactInput;
import dev.dripline.contacts.Contacts;
import dev.dripline.errors.NotFound;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

@Controller("/v1/contacts")
public class ContactsController {

    private final Contacts contacts;

    public ContactsController(Dripline dripline) {
        this.contacts = dripline.contacts();
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
}
