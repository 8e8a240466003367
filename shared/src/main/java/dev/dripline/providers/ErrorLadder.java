package dev.dripline.providers;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one ladder from a provider's "no" to the product's send outcome, the same for every adapter.
 * Its rungs, in this order:
 * <ol>
 *   <li>throttled (HTTP 429 or one of the provider's throttling codes): retryable after the advertised wait;</li>
 *   <li>5xx: 503 (turned away at the front door) is retryable; any other may come after the message
 *       was created, and no provider offers an idempotency key on send: unknown;</li>
 *   <li>credentials or account refused (HTTP 401 or one of the provider's codes, e.g. a spend limit):
 *       retryable, spending an attempt, so another provider can send;</li>
 *   <li>one of the provider's "may have sent" codes: unknown;</li>
 *   <li>anything else: permanent, with the provider's code (else {@code http_<status>}), an opt-out
 *       where the provider's codes or words say so.</li>
 * </ol>
 * An adapter supplies only what is its own: how it reads a {@link Refusal} out of its answer, and
 * which of its codes stand on which rung. No answer at all is sorted by {@link #noAnswer}.
 */
final class ErrorLadder {

    /**
     * What a provider said when it did not take a message.
     *
     * @param status     the HTTP status (an SDK exception's status code)
     * @param code       the provider's own error code, or null when it gave none
     * @param reason     the provider's words, for the record
     * @param retryAfter the wait it advertised (Retry-After), if any
     */
    record Refusal(int status, String code, String reason, Optional<Duration> retryAfter) {

        /** A refusal read from an HTTP answer: Retry-After from its headers. */
        static Refusal of(HttpResponse<?> response, String code, String reason) {
            return new Refusal(response.statusCode(), code, reason, ProviderHttp.retryAfter(response));
        }
    }

    private final String provider;
    private final Set<String> throttling;
    private final Set<String> accountRefused;
    private final Set<String> mayHaveSent;
    private final Predicate<Refusal> optedOut;

    private ErrorLadder(String provider, Set<String> throttling, Set<String> accountRefused, Set<String> mayHaveSent,
                        Predicate<Refusal> optedOut) {
        this.provider = provider;
        this.throttling = throttling;
        this.accountRefused = accountRefused;
        this.mayHaveSent = mayHaveSent;
        this.optedOut = optedOut;
    }

    /** The ladder for {@code provider} with only the HTTP rungs (429, 5xx, 401): add its codes with the methods below. */
    static ErrorLadder of(String provider) {
        return new ErrorLadder(provider, Set.of(), Set.of(), Set.of(), r -> false);
    }

    /** Codes meaning "too many requests" whatever the HTTP status. */
    ErrorLadder throttledOn(String... codes) {
        return new ErrorLadder(provider, Set.of(codes), accountRefused, mayHaveSent, optedOut);
    }

    /** Codes meaning the account or its credentials are refused (waiting will not cure it). */
    ErrorLadder accountRefusedOn(String... codes) {
        return new ErrorLadder(provider, throttling, Set.of(codes), mayHaveSent, optedOut);
    }

    /** Codes meaning the provider failed inside and does not say nothing went out. */
    ErrorLadder mayHaveSentOn(String... codes) {
        return new ErrorLadder(provider, throttling, accountRefused, Set.of(codes), optedOut);
    }

    /** Codes meaning the recipient opted out (replied STOP, is barred or on a do-not-disturb list). */
    ErrorLadder optedOutOn(String... codes) {
        Set<String> set = Set.of(codes);
        return optedOutWhen(r -> r.code() != null && set.contains(r.code()));
    }

    /** A permanent refusal is an opt-out when {@code rule} says so (codes, or the provider's words). */
    ErrorLadder optedOutWhen(Predicate<Refusal> rule) {
        return new ErrorLadder(provider, throttling, accountRefused, mayHaveSent, rule);
    }

    /** The outcome of {@code refusal}: the first rung that holds it. */
    SendOutcome outcome(Refusal refusal) {
        int status = refusal.status();
        String code = refusal.code();
        if (status == 429 || has(throttling, code)) {
            return new SendOutcome.Retryable(provider + " throttled (" + (status == 429 ? "429" : code) + ")", refusal.retryAfter());
        }
        if (status >= 500) {
            return status == 503
                    ? new SendOutcome.Retryable(provider + " answered 503", refusal.retryAfter())
                    : new SendOutcome.Unknown(provider + " answered " + status + " after taking the request");
        }
        if (status == 401) {
            return SendOutcome.Retryable.refused(provider + " refused the credentials (401)");
        }
        if (has(accountRefused, code)) {
            return SendOutcome.Retryable.refused(provider + " refused the account (" + code + "): " + refusal.reason());
        }
        if (has(mayHaveSent, code)) {
            return new SendOutcome.Unknown(provider + " failed inside (" + code + ") and does not say nothing was sent");
        }
        return new SendOutcome.Permanent(code == null ? "http_" + status : code, refusal.reason(), optedOut.test(refusal));
    }

    private static boolean has(Set<String> codes, String code) {
        return code != null && codes.contains(code);
    }

    /**
     * The outcome when no answer came: a failure before the request left (refused, unresolvable,
     * unroutable, a connect timeout, a TLS handshake) is retryable; after it (a read timeout, a
     * reset mid-response) the message may have been sent: unknown.
     */
    static SendOutcome noAnswer(String provider, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (beforeSending(t)) {
                return new SendOutcome.Retryable(provider + " unreachable: " + t.getClass().getSimpleName(), Optional.empty());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
                return new SendOutcome.Unknown(provider + " did not answer in time");
            }
        }
        return new SendOutcome.Unknown(provider + " connection broke after the request: " + rootCause(failure).getClass().getSimpleName());
    }

    private static boolean beforeSending(Throwable t) {
        return t instanceof HttpConnectTimeoutException || t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException
                || t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
    }

    private static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
