package dev.dripline.http;

import dev.dripline.Dripline;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * The core as a bean. On Lambda it is built from the function's environment; the local
 * runtime registers its own (wired to the in-process engines) and this factory stands aside.
 */
@Factory
public class CoreBeans {

    @Singleton
    @Requires(missingBeans = Dripline.class)
    Dripline dripline() {
        return Dripline.fromEnvironment(System.getenv());
    }
}
