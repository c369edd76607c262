package dev.parley.mediarelay.cascade;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts link requests to other relays that failed, by what was asked ({@code open}, {@code tell}). */
final class LinkFailures {

    private final MeterRegistry metrics;

    LinkFailures(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    void count(String call) {
        Counter.builder("parley.media.cascade.link.failures").tag("call", call)
                .description("Requests to other relays' link API that failed; the room goes on without that link")
                .register(metrics).increment();
    }
}
