package dev.parley.mediarelay.transport;

import java.net.InetSocketAddress;

/** Sends one datagram from the media port; implemented by {@link MediaSocket}. */
@FunctionalInterface
public interface DatagramSender {

    void send(byte[] data, int offset, int length, InetSocketAddress to);
}
