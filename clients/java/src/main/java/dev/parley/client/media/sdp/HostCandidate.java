package dev.parley.client.media.sdp;

import java.net.InetSocketAddress;

/** A candidate from {@code a=candidate} (RFC 8839 §5.1): a UDP host address, the SFU's or the client's. */
public record HostCandidate(String address, int port) {

    /** Whether the address is IPv4 (dotted quad). */
    public boolean ipv4() {
        return address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address, port);
    }
}
