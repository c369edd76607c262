package dev.parley.mediarelay.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long the relay holds a publisher's packet: from when the media port's reader read it to when
 * its last copy was handed to the kernel, or to a subscriber's pacer (whose own wait is
 * {@code parley_media_pacer_delay_seconds}). A Prometheus histogram,
 * {@code parley_media_forward_delay_seconds}: the relay's own share of the latency a call gets,
 * which the end-to-end figures of the benchmark (send to receive, through both clients' stacks)
 * cannot separate, and what an operator watches for a relay falling behind its load.
 */
@Singleton
public class ForwardingDelay {

    private final Timer timer;

    ForwardingDelay(MeterRegistry registry) {
        timer = Timer.builder("parley.media.forward.delay")
                .description("From a publisher's packet read off the media port to its last copy sent or queued for pacing")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    /** A packet read at {@code receivedNanos} whose last copy left at {@code nowNanos} ({@link System#nanoTime()}). */
    void record(long receivedNanos, long nowNanos) {
        timer.record(nowNanos - receivedNanos, TimeUnit.NANOSECONDS);
    }
}
