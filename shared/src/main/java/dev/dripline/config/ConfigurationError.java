package dev.dripline.config;

/**
 * A DRIPLINE_* variable whose value the core cannot use: the message names the variable, the
 * value and what is expected, so a failed start says what to fix.
 */
public final class ConfigurationError extends IllegalArgumentException {

    private final String variable;

    public ConfigurationError(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    /** {@code VARIABLE must be EXPECTED, not 'VALUE'}; a secret's value is never repeated. */
    static ConfigurationError of(String variable, String value, String expected) {
        return new ConfigurationError(variable, variable + " must be " + expected + ", not '" + value + "'");
    }

    public String variable() {
        return variable;
    }
}
