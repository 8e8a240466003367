package dev.dripline.auth;

import java.util.Set;

/** Who made a request: the key's id and name, and its scopes. */
public record Caller(String keyId, String name, Set<Scope> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public boolean allows(Scope needed) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(needed);
    }
}
