package dev.parley.client.media;

import java.net.InetAddress;

/**
 * Where a client's UDP port lives and what its offers say about it: Parley's relay is ICE-lite and
 * learns the client's address from its checks, so offers carry no candidate and the port is on
 * 127.0.0.1; a full ICE agent such as Janus checks the client's address itself, so the offer
 * carries the port as a host candidate (RFC 8839 §5.1), on an address the SFU can reach (the host
 * end of a veth pair when the SFU runs in a network namespace).
 */
public record ClientNetwork(InetAddress bindAddress, boolean offerCandidate) {

    /** Parley's relay on 127.0.0.1. */
    public static final ClientNetwork LOOPBACK = new ClientNetwork(InetAddress.getLoopbackAddress(), false);
}
