package dev.dripline.api;

import dev.dripline.errors.InvalidInput;

/** The {@code limit} of list routes: 1 to 500, default 100. */
final class Limits {

    static final int DEFAULT = 100;
    static final int MAX = 500;

    private Limits() {
    }

    static int parse(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInput.of("limit", "must be a whole number from 1 to " + MAX);
    }
}
