package dev.dripline.webhooks.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The one way out to SNS: GETs of its signing certificates and of subscription confirmation
 * URLs. The JDK client in production; tests serve a locally made certificate.
 */
public interface CertificateFetcher {

    /** The body of a GET of this https URL; an IOException for anything but 200. */
    byte[] get(URI url) throws IOException;

    /** The JDK HTTP client, with short timeouts (a webhook has seconds to answer). */
    static CertificateFetcher jdk() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
        return url -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + url.getHost() + url.getPath() + " answered " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }
}
