package dev.dripline;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The composition root's one lifecycle: a service built on first use, once, however many
 * threads ask at the same time (double-checked locking on a volatile field). A factory that
 * fails builds nothing: the next call tries again.
 */
final class Lazy<T> implements Supplier<T> {

    private final Supplier<? extends T> factory;
    private volatile T value;

    private Lazy(Supplier<? extends T> factory) {
        this.factory = factory;
    }

    static <T> Lazy<T> of(Supplier<? extends T> factory) {
        return new Lazy<>(factory);
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(factory.get(), "a service factory returned null");
                    value = v;
                }
            }
        }
        return v;
    }
}
