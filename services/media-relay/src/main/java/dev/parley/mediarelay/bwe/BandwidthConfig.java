package dev.parley.mediarelay.bwe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the relay estimates each subscriber's bandwidth and paces what it sends
 * ({@code docs/media-relay.md}, "Simulcast and bandwidth"); every key can be overridden by an
 * environment variable, e.g. {@code PARLEY_MEDIA_RELAY_BANDWIDTH_INITIAL}.
 */
@ConfigMapping(prefix = "parley.media-relay.bandwidth")
public interface BandwidthConfig {

    /**
     * Whether the relay negotiates transport-wide congestion control (both ways: feedback to
     * publishers, an estimate per subscriber that the layer selector spends, paced sending). On by
     * default; off, publishers' browsers hear no feedback (they keep their start rate, adapting only
     * to the loss in receiver reports) and subscribers get the best stream their rendered size asks
     * for, unpaced, with one thread fewer on the media path.
     */
    @WithDefault("true")
    boolean enabled();

    /** The estimate a subscriber starts with, in bit/s, before its first feedback says otherwise. */
    @WithDefault("2500000")
    long initial();

    /** The estimate never drops below this, in bit/s: enough for audio and the lowest video stream. */
    @WithDefault("100000")
    long min();

    /** The estimate never grows beyond this, in bit/s. */
    @WithDefault("20000000")
    long max();

    /** The pacer sends at this multiple of the estimate, so bursts drain fast but not at once. */
    @WithDefault("2.5")
    double pacingFactor();

    /**
     * Test only: enables the control API's per-participant egress rate limit, which drops what the
     * relay sends a participant beyond a given rate, as a constrained link would. Never in production.
     */
    @WithDefault("false")
    boolean testEgressLimit();
}
