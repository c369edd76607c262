package dev.parley.mediarelay.placement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/** The stress figure: the most used of sessions, packets per second and CPU, 0..1. */
class RelayLoadTest {

    @Test
    void anIdleRelayHasNoStress() {
        assertThat(new RelayLoad(0, 1000, 0, 200_000, 0).stress()).isZero();
    }

    @Test
    void theMostUsedResourceSetsTheStress() {
        assertThat(new RelayLoad(250, 1000, 20_000, 200_000, 0.05).stress()).isCloseTo(0.25, within(1e-9));
        assertThat(new RelayLoad(10, 1000, 150_000, 200_000, 0.3).stress()).isCloseTo(0.75, within(1e-9));
        assertThat(new RelayLoad(10, 1000, 20_000, 200_000, 0.6).stress()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void anOverloadedRelayStaysAtOne() {
        assertThat(new RelayLoad(10, 1000, 500_000, 200_000, 0.2).stress()).isEqualTo(1);
        assertThat(new RelayLoad(1000, 1000, 0, 200_000, 0).stress()).isEqualTo(1);
    }

    @Test
    void aZeroLimitMeansFull() {
        assertThat(new RelayLoad(0, 0, 0, 200_000, 0).stress()).isEqualTo(1);
    }

    @Test
    void cpuLoadIsClampedAndUnavailableCountsAsIdle() {
        assertThat(RelayLoad.clamp(-1)).isZero();
        assertThat(RelayLoad.clamp(Double.NaN)).isZero();
        assertThat(RelayLoad.clamp(0.42)).isEqualTo(0.42);
        assertThat(RelayLoad.clamp(1.3)).isEqualTo(1);
    }

    @Test
    void theEntryWritesEveryFieldOfTheSchemaAsText() {
        RelayEntry entry = new RelayEntry(new RelayId("relay-abc"), "http://10.0.0.5:8083", "eu",
                new RelayLoad(3, 1000, 1200, 200_000, 0.5), true, 1_700_000_000_000L, 5_000);
        assertThat(entry.fields()).containsExactly(
                entry("id", "relay-abc"),
                entry("controlUrl", "http://10.0.0.5:8083"),
                entry("region", "eu"),
                entry("sessions", "3"),
                entry("maxSessions", "1000"),
                entry("packetsPerSecond", "1200"),
                entry("maxPacketsPerSecond", "200000"),
                entry("cpu", "0.5000"),
                entry("stress", "0.5000"),
                entry("draining", "true"),
                entry("updatedAt", "1700000000000"),
                entry("ttlMillis", "5000"));
    }
}
