package dev.dripline.api;

import dev.dripline.Dripline;
import dev.dripline.auth.ApiKey;
import dev.dripline.auth.KeyStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.time.Instant;
import java.util.List;

/** API keys (admin scope): create (the secret is in this answer only), list, revoke. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "API keys")
@Controller("/v1/api-keys")
public class ApiKeysController {

    private final KeyStore keys;

    public ApiKeysController(Dripline dripline) {
        this.keys = dripline.keyStore();
    }

    /** {@code POST /v1/api-keys}: a name and scopes among read, write, send, admin. */
    public record NewKey(@Schema(example = "shop") @Nullable String name,
                         @Schema(example = "[\"read\", \"send\"]") @Nullable List<String> scopes) {
    }

    /** A new key with its secret, shown this once. */
    public record CreatedKey(String id, String name, List<String> scopes, Instant createdAt, String secret) {
    }

    /** A page of the keys, revoked ones included; never a secret. {@code nextCursor} is null on the last page. */
    public record KeyList(List<ApiKey> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {
    }

    @Post
    @ApiResponse(responseCode = "201", description = "The new key; its secret is shown this once", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedKey.class)))
    @io.swagger.v3.oas.annotations.Operation(operationId = "createApiKey")
    public HttpResponse<CreatedKey> create(@Body NewKey body) {
        KeyStore.Created created = keys.create(body.name(), body.scopes());
        ApiKey k = created.key();
        return HttpResponse.created(new CreatedKey(k.id(), k.name(), k.scopes(), k.createdAt(), created.secret()));
    }

    @Get("{?limit,cursor}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "listApiKeys")
    public KeyList list(@Nullable String limit, @Nullable String cursor) {
        dev.dripline.store.Page<ApiKey> page = keys.page(Limits.parse(limit), cursor);
        return new KeyList(page.items(), page.nextCursor());
    }

    /** Revokes a key: refused from the next request on, in every instance. */
    @Delete("/{id}")
    @io.swagger.v3.oas.annotations.Operation(operationId = "revokeApiKey")
    public ApiKey revoke(String id) {
        return keys.revoke(id);
    }
}
