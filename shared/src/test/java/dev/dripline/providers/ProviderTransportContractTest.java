package dev.dripline.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every provider adapter answers when the transport or the provider's front door says no:
 * the one error ladder ({@link ErrorLadder}) seen through each adapter, against a stub on
 * 127.0.0.1. The request shapes and each provider's own codes are in the per-provider tests.
 */
class ProviderTransportContractTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Long enough for an answer on a loaded machine; short where no answer is to come. */
    private static final Duration ANSWERED = Duration.ofSeconds(10);
    private static final Duration UNANSWERED = Duration.ofMillis(600);

    /**
     * One adapter under the contract.
     *
     * @param build            the adapter on a base URL, with a timeout for each call
     * @param callsUnanswered  how many requests an unanswered send makes (Telnyx repeats once under its idempotency key)
     * @param errorHeaders     headers the provider's error answers carry
     */
    record Adapter(String name, BiFunction<URI, Duration, SmsProvider> build, int callsUnanswered, String... errorHeaders) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Adapter> providers() {
        return Stream.of(
                new Adapter("twilio", (base, timeout) -> new TwilioProvider(HTTP,
                        new TwilioSettings("AC123", "secret-token", "+15005550006", base), timeout), 1),
                new Adapter("plivo", (base, timeout) -> new PlivoProvider(HTTP,
                        new PlivoSettings("MAXXXXXXXXXXXXXXXXXX", "plivo-token", "+14155550199", base), timeout), 1),
                new Adapter("telnyx", (base, timeout) -> new TelnyxProvider(HTTP,
                        new TelnyxSettings("KEY0123", "+14155550198", null, base), timeout), 2),
                new Adapter("vonage", (base, timeout) -> new VonageProvider(HTTP,
                        new VonageSettings("abcd1234", "vonage-secret", "+447700900001", base), timeout), 1),
                new Adapter("aws", ProviderTransportContractTest::aws, 1, "Content-Type", "application/x-amz-json-1.0"));
    }

    private static SmsProvider aws(URI endpoint, Duration timeout) {
        return AwsSmsProviderTest.provider(endpoint, timeout, () -> { });
    }

    @RegisterExtension
    final ProviderStub stub = ProviderStub.start();

    private SendOutcome send(Adapter adapter) {
        return adapter.build().apply(stub.url(), ANSWERED).send(TwilioProviderTest.SMS);
    }

    private String[] headers(Adapter adapter, String... more) {
        return Stream.concat(Stream.of(adapter.errorHeaders()), Stream.of(more)).toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void tooManyRequestsIsRetryableAfterTheAdvertisedWaitWithoutSpendingAnAttempt(Adapter adapter) {
        stub.answer(429, "{}", headers(adapter, "Retry-After", "7"));
        assertThat(send(adapter)).isEqualTo(new SendOutcome.Retryable(adapter.name() + " throttled (429)",
                Optional.of(Duration.ofSeconds(7)), false));
        assertThat(stub.seen).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void serviceUnavailableSaysNothingWasDoneSoItIsRetryable(Adapter adapter) {
        stub.answer(503, "{}", headers(adapter, "Retry-After", "4"));
        assertThat(send(adapter)).isEqualTo(new SendOutcome.Retryable(adapter.name() + " answered 503",
                Optional.of(Duration.ofSeconds(4)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anotherServerErrorMayComeAfterTheMessageWasCreatedSoItIsUnknown(Adapter adapter) {
        stub.answer(500, "{}", headers(adapter));
        assertThat(send(adapter)).isEqualTo(new SendOutcome.Unknown(adapter.name() + " answered 500 after taking the request"));
        assertThat(stub.seen).hasSize(adapter.callsUnanswered());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aGatewaysErrorSaysNothingOfWhatTheProviderDidSoItIsUnknown(Adapter adapter) {
        stub.answer(502, "<html>Bad Gateway</html>", headers(adapter));
        assertThat(send(adapter)).isEqualTo(new SendOutcome.Unknown(adapter.name() + " answered 502 after taking the request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void refusedCredentialsAreRetryableAndSpendAnAttemptSoAnotherProviderCanSend(Adapter adapter) {
        stub.answer(401, "{}", headers(adapter));
        assertThat(send(adapter)).isEqualTo(SendOutcome.Retryable.refused(adapter.name() + " refused the credentials (401)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aProviderThatTakesTheRequestAndNeverAnswersIsUnknown(Adapter adapter) {
        stub.hang();
        assertThat(adapter.build().apply(stub.url(), UNANSWERED).send(TwilioProviderTest.SMS)).isInstanceOf(SendOutcome.Unknown.class);
        assertThat(stub.seen).hasSize(adapter.callsUnanswered());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void aRefusedConnectionIsRetryableWithoutSpendingAnAttempt(Adapter adapter) throws IOException {
        SendOutcome outcome = adapter.build().apply(ProviderStub.refusingUrl(), ANSWERED).send(TwilioProviderTest.SMS);
        assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class);
        assertThat(((SendOutcome.Retryable) outcome).reason()).startsWith(adapter.name() + " unreachable: ");
        assertThat(((SendOutcome.Retryable) outcome).spendsAttempt()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void anUnresolvableHostIsRetryable(Adapter adapter) {
        SendOutcome outcome = adapter.build().apply(URI.create("http://provider.invalid"), ANSWERED).send(TwilioProviderTest.SMS);
        assertThat(outcome).isInstanceOf(SendOutcome.Retryable.class);
    }
}
