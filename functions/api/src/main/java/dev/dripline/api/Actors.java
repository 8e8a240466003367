package dev.dripline.api;

import io.micronaut.http.HttpRequest;

/** Who is acting on a request: the name of the API key that authenticated it. */
final class Actors {

    private Actors() {
    }

    static String of(HttpRequest<?> request) {
        return request.getAttribute(ApiKeyFilter.ACTOR, String.class).map(name -> "api-key:" + name).orElse("api");
    }
}
