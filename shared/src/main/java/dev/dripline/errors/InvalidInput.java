package dev.dripline.errors;

import java.util.List;

/** Input the core refuses, with every offending field named. Maps to 422. */
public final class InvalidInput extends DriplineError {

    private final List<FieldError> errors;

    public InvalidInput(List<FieldError> errors) {
        super(summary(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an InvalidInput names at least one field");
        }
        this.errors = List.copyOf(errors);
    }

    public static InvalidInput of(String field, String message) {
        return new InvalidInput(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String summary(List<FieldError> errors) {
        return errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid input");
    }

    @Override
    public Kind kind() {
        return Kind.INVALID_INPUT;
    }
}
