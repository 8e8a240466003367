package dev.dripline.errors;

/** One thing wrong with a request: the field (JSON path) and what is wrong with it. */
public record FieldError(String field, String message) {
}
