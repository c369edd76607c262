package dev.parley.client.media.sdp;

import java.net.InetSocketAddress;

/** The relay's candidate from {@code a=candidate} (RFC 8839 §5.1): a UDP host address. */
public record HostCandidate(String address, int port) {

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }
}
