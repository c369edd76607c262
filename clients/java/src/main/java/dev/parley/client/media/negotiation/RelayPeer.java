package dev.parley.client.media.negotiation;

/**
 * Another relay of a room that spans several ({@code peers} in the control API's session request,
 * docs/media-relay.md "Cascading"): its registered id and its control API's base URL.
 */
public record RelayPeer(String relayId, String controlUrl) {
}
