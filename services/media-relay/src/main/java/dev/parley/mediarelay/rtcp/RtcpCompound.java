package dev.parley.mediarelay.rtcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compound RTCP datagram (RFC 3550 §6.1): packets back to back, each sized by its own length field.
 *
 * <p>Reading follows the validity checks of RFC 3550 Appendix A.2 so that a malformed or truncated
 * datagram is refused as a whole: every packet has version 2 and a packet type in 192..223
 * (RFC 5761 §4), the lengths add up exactly to the datagram, and only the last packet may carry
 * padding, whose count is at least 1 and fits the packet. Since a length field of 0 still describes
 * 4 bytes, every step advances and the loop ends. Two deliberate departures:
 * <ul>
 *   <li>the first packet need not be an SR or RR: browsers negotiate reduced-size RTCP (RFC 5506 §3),
 *       which sends a single feedback packet on its own;</li>
 *   <li>a packet must hold its SSRC (8 bytes): only an empty SDES or BYE (count 0) would be shorter,
 *       which no WebRTC endpoint sends and which would carry nothing for the relay.</li>
 * </ul>
 */
public final class RtcpCompound {

    private static final int VERSION = 2;
    private static final int FIRST_TYPE = 192;
    private static final int LAST_TYPE = 223;

    private RtcpCompound() {
    }

    /** The packets of an unprotected compound datagram, in order; never empty. */
    public static List<RtcpPacket> parse(byte[] data, int offset, int length) throws MalformedRtcpException {
        Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            throw new MalformedRtcpException("empty datagram");
        }
        List<RtcpPacket> packets = new ArrayList<>();
        int end = offset + length;
        for (int position = offset; position < end; ) {
            RtcpPacket packet = readOne(data, position, end);
            packets.add(packet);
            position += packet.length();
        }
        return List.copyOf(packets);
    }

    private static RtcpPacket readOne(byte[] data, int position, int end) throws MalformedRtcpException {
        int remaining = end - position;
        if (remaining < RtcpPacket.HEADER_LENGTH) {
            throw new MalformedRtcpException("truncated packet: " + remaining + " bytes left");
        }
        if ((data[position] & 0xFF) >>> 6 != VERSION) {
            throw new MalformedRtcpException("version is not 2");
        }
        int type = Bytes.u8(data, position + 1);
        if (type < FIRST_TYPE || type > LAST_TYPE) {
            throw new MalformedRtcpException("packet type " + type + " is not RTCP");
        }
        int size = (Bytes.u16(data, position + 2) + 1) * 4;
        if (size > remaining) {
            throw new MalformedRtcpException("length " + size + " exceeds the " + remaining + " bytes left");
        }
        if (size < RtcpPacket.HEADER_LENGTH) {
            throw new MalformedRtcpException("packet without an SSRC");
        }
        int padding = 0;
        if ((data[position] & 0x20) != 0) {
            if (size != remaining) {
                throw new MalformedRtcpException("padding on a packet that is not the last");
            }
            padding = Bytes.u8(data, position + size - 1);
            if (padding == 0 || padding > size - RtcpPacket.HEADER_LENGTH) {
                throw new MalformedRtcpException("padding count " + padding + " does not fit the packet");
            }
        }
        return new RtcpPacket(data, position, size, padding);
    }

    /** The messages back to back as one compound datagram (RFC 3550 §6.1), without padding. */
    public static byte[] write(List<? extends RtcpMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a compound packet holds at least one packet");
        }
        int total = 0;
        for (RtcpMessage message : messages) {
            total += message.length();
        }
        byte[] out = new byte[total];
        int position = 0;
        for (RtcpMessage message : messages) {
            message.writeTo(out, position);
            position += message.length();
        }
        return out;
    }
}
