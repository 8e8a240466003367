package dev.dripline.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * {@code GET /openapi.yml} (no key): the OpenAPI 3 document micronaut-openapi generates from
 * the controllers at compile time, completed by {@link OpenApiDocument} with what every
 * {@code /v1} route shares (the bearer key, the problem+json errors the filters and the error
 * handler give). A new controller appears in it by being compiled; nothing lists routes by hand.
 */
@OpenAPIDefinition(info = @Info(title = "dripline", version = "1",
        description = "Dripline HTTP API, version 1. Errors are RFC 9457 application/problem+json."))
@Controller
public class OpenApiController {

    static final MediaType YAML = MediaType.of("application/yaml");

    @Hidden
    @Get(value = "/openapi.yml", produces = "application/yaml")
    public HttpResponse<String> document() {
        return HttpResponse.ok(OpenApiDocument.yaml()).contentType(YAML);
    }
}
