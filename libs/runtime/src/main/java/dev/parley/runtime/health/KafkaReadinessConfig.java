package dev.parley.runtime.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How often and how patiently readiness checks the broker. With the defaults a broker outage
 * shows as not-ready within {@code interval + timeout} = 5 s. Environment variables override,
 * e.g. {@code PARLEY_KAFKA_READINESS_INTERVAL=5s}.
 */
@ConfigMapping(prefix = "parley.kafka-readiness")
public interface KafkaReadinessConfig {

    /** Pause between two probes of the broker. */
    @WithDefault("2s")
    Duration interval();

    /** How long one probe may wait for the broker's answer before it counts as a failure. */
    @WithDefault("3s")
    Duration timeout();
}
