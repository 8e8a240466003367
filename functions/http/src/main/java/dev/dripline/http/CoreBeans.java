package dev.dripline.http;

import dev.dripline.Dripline;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;

/**
 * The core as a bean. On Lambda it is built from the function's environment; the local
 * runtime registers its own (wired to the in-process engines) and this factory stands aside.
 */
@Factory
public class CoreBeans {

    private static volatile CompletableFuture<Dripline> early;

    /**
     * Starts building the core (its SDK clients are most of a cold start) on another thread
     * while Micronaut boots on this one. Called from the Lambda entry classes' static
     * initialisers, and only inside Lambda (AWS_LAMBDA_FUNCTION_NAME is set there).
     */
    public static void startEarlyOnLambda() {
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null && early == null) {
            early = CompletableFuture.supplyAsync(() -> Dripline.fromEnvironment(System.getenv()));
        }
    }

    @Singleton
    @Requires(missingBeans = Dripline.class)
    Dripline dripline() {
        CompletableFuture<Dripline> started = early;
        return started != null ? started.join() : Dripline.fromEnvironment(System.getenv());
    }
}
