package dev.dripline.providers;

import java.time.Instant;

/** One SMS provider's send API. Implementations never throw for a provider's answer: they map it. */
public interface SmsProvider {

    /** The name used in configuration, routes and records: {@code twilio}, {@code simulator}... */
    String name();

    SendOutcome send(OutboundSms sms);

    /**
     * After an unknown outcome: asks the provider whether it took {@code sms}, sent in a call
     * made at or after {@code calledAt}. Must never send anything a second time, unless the
     * provider's own idempotency key makes the repeat a no-op. The default: the provider offers
     * no way to ask.
     */
    default SendLookup lookup(OutboundSms sms, Instant calledAt) {
        return new SendLookup.Undetermined(name() + " offers no lookup", false);
    }
}
