package dev.dripline;

import java.util.ArrayList;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming. Before Lambda snapshots an initialised function (CRaC
 * {@code beforeCheckpoint}), run the function's hot path once on harmless input, so the
 * classes it loads, the JSON and SDK marshallers it builds and the JIT work it triggers are
 * in the snapshot rather than paid by the first real event after each restore. On a JVM
 * without CRaC (everywhere but SnapStart) registering does nothing.
 */
public final class Priming {

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    /** org.crac may hold resources weakly: keep them reachable for the life of the function. */
    private static final List<Resource> HELD = new ArrayList<>();

    private Priming() {
    }

    public static synchronized void register(String what, Runnable prime) {
        Resource resource = new Resource() {
            @Override
            public void beforeCheckpoint(Context<? extends Resource> context) {
                long start = System.nanoTime();
                try {
                    prime.run();
                } catch (RuntimeException e) {
                    // Priming is an optimisation: a failure must never stop the snapshot.
                    LOG.warn("priming {} failed: {}", what, e.toString());
                }
                LOG.info("primed {} in {} ms", what, (System.nanoTime() - start) / 1_000_000);
            }

            @Override
            public void afterRestore(Context<? extends Resource> context) {
                // Nothing to refresh: SDK clients open new connections on first use.
            }
        };
        HELD.add(resource);
        Core.getGlobalContext().register(resource);
    }
}
