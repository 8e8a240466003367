package dev.dripline.signup;

import java.time.Instant;
import java.util.List;

/**
 * A sign-up form ({@code /v1/signup-forms}): the hosted page {@code /join/{id}} asks for a phone
 * number, each of {@code fields}, and a tick next to {@code consentText}. Each replacement is a new
 * {@code version}, so the consent ledger can say which wording a person saw.
 *
 * @param keyword a keyword people may text instead (shown on the page and kept in the proof); null if none
 */
public record SignupForm(String id, String name, String consentText, List<Field> fields, String keyword, int version,
                         Instant createdAt, Instant updatedAt) {

    public SignupForm {
        fields = List.copyOf(fields);
    }

    /**
     * One input of the page: firstName, lastName and email fill the contact's own fields, any
     * other name (zip, ...) an attribute of that name.
     */
    public record Field(String name, String label, boolean required) {
    }
}
