package dev.dripline.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;
import java.util.List;
import java.util.Locale;

/**
 * Any {@code Accept} that admits JSON gets an answer on {@code /v1}, never 406: the API answers
 * {@code application/json}, and {@code application/problem+json} for errors, whichever of
 * {@code application/json}, {@code application/problem+json}, {@code application/*},
 * {@code *}{@code /*} (with any q-values above zero) the client listed. Route matching compares
 * media types exactly, so before it runs, such an Accept gets {@code application/json} added.
 * (Clients generated from the document ask for the error type alone when a route documents no
 * success body.) An Accept that admits no JSON at all stays as it is.
 */
@ServerFilter("/v1/**")
public class AcceptJson {

    @PreMatching
    @RequestFilter
    public HttpRequest<?> admitJson(HttpRequest<?> request) {
        String admitted = admitted(request.getHeaders().getAll(HttpHeaders.ACCEPT));
        if (admitted == null) {
            return request;
        }
        // In place where the server allows it: a wrapped request could no longer hand its body to later filters.
        if (request.getHeaders() instanceof MutableHttpHeaders headers) {
            headers.set(HttpHeaders.ACCEPT, admitted);
            return request;
        }
        return request.mutate().header(HttpHeaders.ACCEPT, admitted);
    }

    /**
     * The Accept to route by: the one given with {@code application/json} added when it admits
     * JSON without naming it; null when it needs no change. (The api Lambda applies it to the API
     * Gateway event, whose headers its request object cannot change.)
     */
    public static String admitted(List<String> accept) {
        if (accept.isEmpty() || !admitsJsonWithoutSayingSo(accept)) {
            return null;
        }
        return String.join(", ", accept) + ", " + MediaType.APPLICATION_JSON;
    }

    static boolean admitsJsonWithoutSayingSo(List<String> accept) {
        boolean admits = false;
        for (String header : accept) {
            for (String part : header.split(",")) {
                String[] pieces = part.split(";");
                String type = pieces[0].trim().toLowerCase(Locale.ROOT);
                if (type.equals(MediaType.APPLICATION_JSON) || type.equals("*/*")) {
                    return false;
                }
                boolean json = type.equals(Problems.CONTENT_TYPE) || type.equals("application/*") || type.endsWith("+json");
                admits |= json && quality(pieces) > 0;
            }
        }
        return admits;
    }

    private static double quality(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
