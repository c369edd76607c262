package dev.parley.mediarelay.rtp;

import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.RtpCodec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a publisher's RTP packet into one a subscriber's section expects, touching only the
 * header: the two sections were negotiated separately, so the payload type (RFC 3264 §6.1) and the
 * header extension ids (RFC 8285 §5) may differ, and the MID extension must name the subscriber's
 * section (RFC 8843 §15.2), not the publisher's. SSRC, sequence number and timestamp stay as the
 * publisher sent them; the payload, end-to-end encrypted, is copied unread.
 *
 * <p>Extensions the subscriber did not negotiate are dropped; the MID extension is written
 * whenever the subscriber negotiated it, whether or not the publisher's packet had one; so is, first,
 * a transport-wide sequence number for the egress to fill in. The forwarder then sets the SSRC,
 * sequence number and timestamp its {@code LayerSwitch} decided.
 */
public final class RtpRewrite {

    /** Codec parameters that make two payload types of one codec incompatible (RFC 6184 §8.1, VP9, AV1). */
    private static final Set<String> DEFINING_PARAMETERS = Set.of("packetization-mode", "profile-level-id",
            "profile-id", "profile");

    /** {@link #apply}'s answer for a packet the subscriber cannot take. */
    public static final int NOT_FORWARDABLE = -1;
    /**
     * The most a rewritten packet grows: a block header where there was none, the transport-wide
     * placeholder (3 bytes), the MID element (up to 17) and the block's padding (up to 3). Elements
     * copied from the publisher never take more room than they had.
     */
    public static final int MAX_GROWTH = 4 + 3 + 17 + 3;

    private final int[] payloadTypes = new int[128];
    /** Publisher's extension id → subscriber's id (0: drop); MID is handled apart. */
    private final int[] extensionIds = new int[256];
    private final int publisherMidId;
    private final int subscriberMidId;
    private final byte[] mid;
    private final int transportSequenceId;

    private RtpRewrite(SectionFormat publisher, SectionFormat subscriber) {
        Arrays.fill(payloadTypes, -1);
        for (RtpCodec codec : publisher.codecs()) {
            if (!codec.is("rtx")) {
                subscriber.codecs().stream().filter(candidate -> compatible(codec, candidate)).findFirst()
                        .ifPresent(match -> payloadTypes[codec.payloadType()] = match.payloadType());
            }
        }
        for (HeaderExtension extension : publisher.extensions()) {
            // The MID is the subscriber's; transport-wide numbers are the relay's own, for the next hop.
            if (!extension.uri().equals(HeaderExtensionSelection.MID)
                    && !extension.uri().equals(HeaderExtensionSelection.TRANSPORT_WIDE_CC)) {
                extensionIds[extension.id()] = subscriber.extensionId(extension.uri());
            }
        }
        publisherMidId = publisher.extensionId(HeaderExtensionSelection.MID);
        subscriberMidId = subscriber.extensionId(HeaderExtensionSelection.MID);
        mid = subscriber.mid().getBytes(StandardCharsets.US_ASCII);
        int twcc = subscriber.extensionId(HeaderExtensionSelection.TRANSPORT_WIDE_CC);
        transportSequenceId = twcc > 0 && twcc <= 14 ? twcc : 0;
    }

    /** The rewrite from a publisher's section to a subscriber's. */
    public static RtpRewrite between(SectionFormat publisher, SectionFormat subscriber) {
        return new RtpRewrite(publisher, subscriber);
    }

    /** Whether the subscriber accepted a codec for this publisher payload type. */
    public boolean carries(int payloadType) {
        return payloadType >= 0 && payloadType < 128 && payloadTypes[payloadType] >= 0;
    }

    /**
     * Writes the rewritten packet into {@code out} from index 0 and returns its length, or
     * {@link #NOT_FORWARDABLE} when the subscriber has no codec for its payload type or the
     * extension block is malformed. {@code rtp} is a valid RTP packet ({@link RtpHeader#isValidRtp});
     * {@code out} holds at least {@code length + }{@link #MAX_GROWTH} bytes. Writing into the
     * caller's buffer lets the forwarder reuse one buffer for every copy it sends: the media thread
     * then allocates nothing per forwarded packet.
     */
    public int apply(byte[] rtp, int offset, int length, byte[] out) {
        if (out.length < length + MAX_GROWTH) {
            throw new IllegalArgumentException("the output buffer needs " + (length + MAX_GROWTH) + " bytes");
        }
        int payloadType = rtp[offset + 1] & 0x7F;
        if (!carries(payloadType)) {
            return NOT_FORWARDABLE;
        }
        int csrcEnd = offset + RtpHeader.RTP_MIN_LENGTH + 4 * (rtp[offset] & 0x0F);
        int headerLength = csrcEnd - offset;
        int payloadStart = csrcEnd;
        int elementsAt = headerLength + 4;
        int written = elementsAt + placeholder(out, elementsAt);
        if ((rtp[offset] & 0x10) != 0) {
            if (csrcEnd + 4 > offset + length) {
                return NOT_FORWARDABLE;
            }
            int profile = ((rtp[csrcEnd] & 0xFF) << 8) | (rtp[csrcEnd + 1] & 0xFF);
            int words = ((rtp[csrcEnd + 2] & 0xFF) << 8) | (rtp[csrcEnd + 3] & 0xFF);
            payloadStart = csrcEnd + 4 + 4 * words;
            if (payloadStart > offset + length) {
                return NOT_FORWARDABLE;
            }
            written = copyElements(rtp, csrcEnd + 4, payloadStart, profile, out, written);
            if (written < 0) {
                return NOT_FORWARDABLE;
            }
        }
        if (subscriberMidId > 0 && subscriberMidId <= 14 && mid.length <= 16) {
            out[written++] = (byte) (subscriberMidId << 4 | (mid.length - 1));
            System.arraycopy(mid, 0, out, written, mid.length);
            written += mid.length;
        }
        int elementsLength = written - elementsAt;
        int block = elementsLength == 0 ? 0 : 4 + (elementsLength + 3) / 4 * 4;
        Arrays.fill(out, written, headerLength + block, (byte) 0); // padding (RFC 8285 §4.2: id 0)
        System.arraycopy(rtp, offset, out, 0, headerLength);
        out[0] = (byte) (block == 0 ? out[0] & ~0x10 : out[0] | 0x10);
        out[1] = (byte) ((rtp[offset + 1] & 0x80) | payloadTypes[payloadType]);
        if (block > 0) {
            out[headerLength] = (byte) (ExtensionElements.ONE_BYTE_PROFILE >> 8);
            out[headerLength + 1] = (byte) ExtensionElements.ONE_BYTE_PROFILE;
            int words = (block - 4) / 4;
            out[headerLength + 2] = (byte) (words >> 8);
            out[headerLength + 3] = (byte) words;
        }
        int payloadLength = offset + length - payloadStart;
        System.arraycopy(rtp, payloadStart, out, headerLength + block, payloadLength);
        return headerLength + block + payloadLength;
    }

    /**
     * Copies the elements the subscriber keeps, with its ids, in the one-byte form (RFC 8285 §4.2),
     * to {@code out} from {@code at}; returns where the copy ends, or -1 for a malformed block.
     * Elements whose id or size does not fit the one-byte form are dropped.
     */
    private int copyElements(byte[] rtp, int from, int to, int profile, byte[] out, int at) {
        if (!ExtensionElements.known(profile)) {
            return at; // an extension profile of another kind (RFC 3550 §5.3.1): nothing we know
        }
        boolean oneByte = profile == ExtensionElements.ONE_BYTE_PROFILE;
        int written = at;
        long element = ExtensionElements.next(rtp, from, to, oneByte);
        for (; element >= 0; element = ExtensionElements.next(rtp, ExtensionElements.end(element), to, oneByte)) {
            int id = ExtensionElements.id(element);
            int size = ExtensionElements.size(element);
            int target = id == publisherMidId ? 0 : extensionIds[id];
            if (target > 0 && target <= 14 && size >= 1 && size <= 16) {
                out[written++] = (byte) (target << 4 | (size - 1));
                System.arraycopy(rtp, ExtensionElements.start(element), out, written, size);
                written += size;
            }
        }
        return element == ExtensionElements.MALFORMED ? -1 : written;
    }

    /**
     * The transport-wide sequence number element, first in the block with a zero number, when the
     * subscriber negotiated it: the egress numbers each packet as it leaves
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). Returns the bytes written.
     */
    private int placeholder(byte[] out, int at) {
        if (transportSequenceId == 0) {
            return 0;
        }
        out[at] = (byte) (transportSequenceId << 4 | 1);
        out[at + 1] = 0;
        out[at + 2] = 0;
        return 3;
    }

    private static boolean compatible(RtpCodec publisher, RtpCodec subscriber) {
        if (!publisher.name().equalsIgnoreCase(subscriber.name()) || !publisher.clock().equals(subscriber.clock())) {
            return false;
        }
        Map<String, String> ours = parameters(publisher);
        Map<String, String> theirs = parameters(subscriber);
        return DEFINING_PARAMETERS.stream().allMatch(key -> {
            String value = ours.get(key);
            String other = theirs.get(key);
            return value == null || other == null ? value == other : value.equalsIgnoreCase(other);
        });
    }

    private static Map<String, String> parameters(RtpCodec codec) {
        Map<String, String> parameters = new HashMap<>();
        codec.fmtp().ifPresent(fmtp -> {
            for (String parameter : fmtp.split(";")) {
                String[] pair = parameter.trim().split("=", 2);
                if (pair.length == 2) {
                    parameters.put(pair[0].toLowerCase(Locale.ROOT), pair[1].trim());
                }
            }
        });
        return parameters;
    }
}
