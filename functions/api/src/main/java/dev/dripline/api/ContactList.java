package dev.dripline.api;

import dev.dripline.contacts.Contact;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/** {@code GET /v1/contacts}: a page of contacts; {@code nextCursor} is null on the last page. */
public record ContactList(List<Contact> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
}
