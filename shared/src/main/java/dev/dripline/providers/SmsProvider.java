package dev.dripline.providers;

/** One SMS provider's send API. Implementations never throw for a provider's answer: they map it. */
public interface SmsProvider {

    /** The name used in configuration, routes and records: {@code twilio}, {@code simulator}... */
    String name();

    SendOutcome send(OutboundSms sms);
}
