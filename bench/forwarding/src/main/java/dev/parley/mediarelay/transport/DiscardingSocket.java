package dev.parley.mediarelay.transport;

import dev.parley.mediarelay.MediaRelayConfig;

import java.net.InetSocketAddress;

/**
 * The media port as the forwarding benchmark sees it: never bound, every datagram handed to it is
 * counted and dropped, so the benchmark measures the relay's work per packet and not the kernel's.
 * In the relay's package because {@link MediaSocket}'s constructor is the CDI container's.
 */
public final class DiscardingSocket extends MediaSocket {

    private long datagrams;
    private long bytes;

    public DiscardingSocket(MediaRelayConfig config) {
        super(config);
    }

    @Override
    public void send(byte[] data, int offset, int length, InetSocketAddress to) {
        datagrams++;
        bytes += length + (data[offset + length - 1] & 1);
    }

    /** How many datagrams were handed over: the benchmark checks every subscriber got its copy. */
    public long datagrams() {
        return datagrams;
    }

    /** Their total size (plus a bit of their last byte, so the JIT cannot skip reading them). */
    public long bytes() {
        return bytes;
    }
}
