package dev.dripline.errors;

import java.util.Locale;

/**
 * The kinds of problem the HTTP API answers with, each a stable URI
 * ({@code https://dripline.dev/problems/<code>}) and a machine-readable {@code code} that
 * clients switch on instead of reading prose. Codes are added, never renamed or removed.
 */
public enum ProblemType {
    BAD_REQUEST(400, "The body is not valid JSON, or a parameter is malformed"),
    UNAUTHORIZED(401, "No API key, or not a valid one"),
    FORBIDDEN(403, "The key or the signature does not allow this"),
    NOT_FOUND(404, "No such resource or route"),
    METHOD_NOT_ALLOWED(405, "The route does not take this method"),
    NOT_ACCEPTABLE(406, "The Accept header admits no JSON"),
    CONFLICT(409, "Well formed, but not allowed in the current state"),
    RECIPIENT_OPTED_OUT(409, "The recipient opted out; nothing is sent until it opts in again"),
    CONSENT_REQUIRED(409, "Marketing needs the recipient's opt-in"),
    QUIET_HOURS(409, "Not allowed during the recipient's quiet hours"),
    TOPIC_WITHDRAWN(409, "The recipient withdrew its consent for this message's topic"),
    FREQUENCY_CAPPED(409, "A jurisdiction's cap on marketing messages is reached and the message asked to be skipped, not deferred"),
    REGISTRATION_REQUIRED(409, "A jurisdiction's registration gate (Texas SB 140) and enforcement on: the sender has no recorded registration there"),
    IDEMPOTENCY_IN_PROGRESS(409, "A request with this Idempotency-Key is still being processed; retry shortly"),
    PAYLOAD_TOO_LARGE(413, "The body is larger than this route takes"),
    UNSUPPORTED_MEDIA_TYPE(415, "The body's content type is not one this route takes"),
    VALIDATION_FAILED(422, "Invalid input; every offending field is named in errors"),
    UNKNOWN_FIELD(422, "The body has a field this route does not know; errors name it and suggest the nearest known one"),
    IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was used before with a different request"),
    RATE_LIMITED(429, "Too many requests; retry after Retry-After seconds"),
    INTERNAL_ERROR(500, "An internal error; it has been logged"),
    NO_PROVIDER_CONFIGURED(503, "No SMS provider is configured on this stack"),
    SERVICE_UNAVAILABLE(503, "Temporarily unavailable; retry later");

    /** Where the types live; each type's page is this plus its code. */
    public static final String BASE = "https://dripline.dev/problems/";

    private final int status;
    private final String description;

    ProblemType(int status, String description) {
        this.status = status;
        this.description = description;
    }

    /** The machine-readable code: {@code recipient-opted-out}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type URI of RFC 9457: {@code https://dripline.dev/problems/recipient-opted-out}. */
    public String uri() {
        return BASE + code();
    }

    /** The HTTP status this type is answered with. */
    public int status() {
        return status;
    }

    public String description() {
        return description;
    }

    /** The general type of a status that has no more specific one. */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
