package dev.dripline.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.dripline.config.Env;
import dev.dripline.providers.ProviderSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fetching inbound media from a local stub of a provider's media host: the provider's credentials
 * go with its own URL, a foreign host is never asked, redirects are followed only to allowed
 * hosts (and without the credentials), and size, type and answers are checked.
 */
class MediaFetcherTest {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
    private static final String SID = "AC0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "twilio-token";

    private HttpServer stub;
    private HttpServer foreign;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> foreignSeen = new CopyOnWriteArrayList<>();
    private String base;
    private MediaSources.Source twilio;
    private final MediaFetcher fetcher = new MediaFetcher(HttpClient.newHttpClient(), 1024, Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        foreign = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + stub.getAddress().getPort();
        String elsewhere = "http://127.0.0.1:" + foreign.getAddress().getPort();
        stub.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            seen.add(path + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = new byte[0];
            int status = 200;
            String type = "image/jpeg";
            boolean authorized = ("Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)))
                    .equals(exchange.getRequestHeaders().getFirst("Authorization"));
            switch (path) {
                case "/Media/ME1" -> {
                    status = authorized ? 200 : 401;
                    body = authorized ? JPEG : new byte[0];
                }
                case "/Media/redirect" -> {
                    status = authorized ? 307 : 401;
                    exchange.getResponseHeaders().add("Location", "/cdn/ME1.jpg?signed=1");
                }
                case "/cdn/ME1.jpg" -> body = JPEG;
                case "/Media/away" -> {
                    status = 302;
                    exchange.getResponseHeaders().add("Location", elsewhere + "/steal");
                }
                case "/Media/big" -> body = new byte[2048];
                case "/Media/page" -> {
                    type = "text/html";
                    body = "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);
                }
                case "/Media/busy" -> status = 503;
                default -> status = 404;
            }
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        foreign.createContext("/", exchange -> {
            foreignSeen.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        stub.start();
        foreign.start();
        Env env = Env.of(Map.of("DRIPLINE_TWILIO_ACCOUNT_SID", SID, "DRIPLINE_TWILIO_AUTH_TOKEN", TOKEN, "DRIPLINE_TWILIO_FROM",
                "+18335550100", "DRIPLINE_TWILIO_BASE_URL", base));
        twilio = new MediaSources(InboundMediaSettings.from(env), ProviderSettings.from(env), null, Clock.systemUTC()).of("twilio").orElseThrow();
    }

    @AfterEach
    void stop() {
        stub.stop(0);
        foreign.stop(0);
    }

    @Test
    void theProvidersOwnUrlIsFetchedWithItsAccountCredentials() throws Exception {
        MediaFetcher.Fetched fetched = fetcher.fetch(twilio, base + "/Media/ME1", null);
        assertThat(fetched.bytes()).isEqualTo(JPEG);
        assertThat(fetched.contentType()).isEqualTo("image/jpeg");
        assertThat(seen).singleElement().asString().startsWith("/Media/ME1 Basic ");
    }

    @Test
    void aRedirectWithinTheProvidersHostsIsFollowedWithoutTheCredentials() throws Exception {
        assertThat(fetcher.fetch(twilio, base + "/Media/redirect", null).bytes()).isEqualTo(JPEG);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("/Media/redirect Basic ");
        assertThat(seen.get(1)).isEqualTo("/cdn/ME1.jpg null");
    }

    @Test
    void aForeignHostIsNeverAskedNeitherDirectlyNorByRedirect() {
        String elsewhere = "http://127.0.0.1:" + foreign.getAddress().getPort();
        assertThatThrownBy(() -> fetcher.fetch(twilio, elsewhere + "/Media/ME1", null))
                .isInstanceOf(MediaFetcher.Failed.class).hasMessageContaining("not one of twilio's media hosts")
                .matches(e -> !((MediaFetcher.Failed) e).retryable());
        assertThatThrownBy(() -> fetcher.fetch(twilio, base + "/Media/away", null))
                .isInstanceOf(MediaFetcher.Failed.class).hasMessageContaining("redirected to");
        assertThatThrownBy(() -> fetcher.fetch(twilio, "https://api.twilio.com.evil.example/Media/ME1", null))
                .isInstanceOf(MediaFetcher.Failed.class);
        assertThat(foreignSeen).isEmpty();
    }

    @Test
    void withoutTheProvidersBaseUrlOnlyItsDocumentedHostsOverHttpsAreAllowed() {
        Env env = Env.of(Map.of("DRIPLINE_TWILIO_ACCOUNT_SID", SID, "DRIPLINE_TWILIO_AUTH_TOKEN", TOKEN, "DRIPLINE_TWILIO_FROM", "+18335550100"));
        MediaSources.Source real = new MediaSources(InboundMediaSettings.from(env), ProviderSettings.from(env), null, Clock.systemUTC())
                .of("twilio").orElseThrow();
        assertThat(real.allows(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"))).isTrue();
        assertThat(real.allows(URI.create("https://s3.twiliocdn.com/a.jpg"))).isTrue();
        assertThat(real.allows(URI.create("http://api.twilio.com/x"))).isFalse();
        assertThat(real.allows(URI.create("https://api.twilio.com:8443/x"))).isFalse();
        assertThat(real.allows(URI.create("https://twiliocdn.com.example.org/x"))).isFalse();
        assertThat(real.allows(URI.create("https://user:pw@api.twilio.com/x"))).isFalse();
        assertThat(real.allows(URI.create(base + "/Media/ME1"))).isFalse();
    }

    @Test
    void wrongCredentialsTooLargeNotMediaAndBusyAreNamedAndOnlyBusyIsRetried() {
        Env wrong = Env.of(Map.of("DRIPLINE_TWILIO_ACCOUNT_SID", SID, "DRIPLINE_TWILIO_AUTH_TOKEN", "not-it", "DRIPLINE_TWILIO_FROM",
                "+18335550100", "DRIPLINE_TWILIO_BASE_URL", base));
        MediaSources.Source mis = new MediaSources(InboundMediaSettings.from(wrong), ProviderSettings.from(wrong), null, Clock.systemUTC())
                .of("twilio").orElseThrow();
        assertThatThrownBy(() -> fetcher.fetch(mis, base + "/Media/ME1", null)).hasMessageContaining("answered 401")
                .matches(e -> !((MediaFetcher.Failed) e).retryable());
        assertThatThrownBy(() -> fetcher.fetch(twilio, base + "/Media/big", null)).hasMessageContaining("at most 1024")
                .matches(e -> !((MediaFetcher.Failed) e).retryable());
        assertThatThrownBy(() -> fetcher.fetch(twilio, base + "/Media/page", null)).hasMessageContaining("text/html");
        assertThatThrownBy(() -> fetcher.fetch(twilio, base + "/Media/busy", null)).hasMessageContaining("answered 503")
                .matches(e -> ((MediaFetcher.Failed) e).retryable());
    }

    @Test
    void aProviderWithoutCredentialsConfiguredIsNotAskedAndAwsCarriesNoInboundMedia() {
        Env none = Env.of(Map.of("DRIPLINE_TWILIO_BASE_URL", base));
        MediaSources sources = new MediaSources(InboundMediaSettings.from(none), ProviderSettings.from(none), null, Clock.systemUTC());
        assertThatThrownBy(() -> fetcher.fetch(sources.of("twilio").orElseThrow(), base + "/Media/ME1", null))
                .hasMessageContaining("credentials are not configured");
        assertThat(seen).isEmpty();
        assertThat(sources.of("aws")).isEmpty();
    }
}
