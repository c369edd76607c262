package dev.parley.client.media.negotiation;

/**
 * Which other participant's track a receive-only section (slot) of the offer now carries, as the
 * relay's control API and the call protocol's {@code media-answer} say it (docs/protocol.md,
 * "Media").
 */
public record Subscription(String mid, String participantId, String trackId, String kind, String source) {
}
