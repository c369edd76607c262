package dev.parley.mediarelay.rtp;

import dev.parley.mediarelay.sdp.HeaderExtension;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.RtpCodec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
     * The rewritten packet, with {@code trailer} spare bytes at the end for SRTP's tag, or empty
     * when the subscriber has no codec for its payload type. {@code rtp} is a valid RTP packet
     * ({@link RtpHeader#isValidRtp}); a malformed extension block makes it empty too.
     */
    public Optional<byte[]> apply(byte[] rtp, int offset, int length, int trailer) {
        int payloadType = rtp[offset + 1] & 0x7F;
        if (!carries(payloadType)) {
            return Optional.empty();
        }
        int csrcEnd = offset + RtpHeader.RTP_MIN_LENGTH + 4 * (rtp[offset] & 0x0F);
        boolean extended = (rtp[offset] & 0x10) != 0;
        int payloadStart = csrcEnd;
        byte[] elements = new byte[0];
        int elementsLength = 0;
        if (extended) {
            if (csrcEnd + 4 > offset + length) {
                return Optional.empty();
            }
            int profile = ((rtp[csrcEnd] & 0xFF) << 8) | (rtp[csrcEnd + 1] & 0xFF);
            int words = ((rtp[csrcEnd + 2] & 0xFF) << 8) | (rtp[csrcEnd + 3] & 0xFF);
            payloadStart = csrcEnd + 4 + 4 * words;
            if (payloadStart > offset + length) {
                return Optional.empty();
            }
            elements = new byte[4 * words + mid.length + 5];
            elementsLength = placeholder(elements);
            int copied = copyElements(rtp, csrcEnd + 4, payloadStart, profile, elements, elementsLength);
            if (copied < 0) {
                return Optional.empty();
            }
            elementsLength += copied;
        } else {
            elements = new byte[mid.length + 5];
            elementsLength = placeholder(elements);
        }
        if (subscriberMidId > 0 && subscriberMidId <= 14 && mid.length <= 16) {
            elements[elementsLength++] = (byte) (subscriberMidId << 4 | (mid.length - 1));
            System.arraycopy(mid, 0, elements, elementsLength, mid.length);
            elementsLength += mid.length;
        }
        int block = elementsLength == 0 ? 0 : 4 + (elementsLength + 3) / 4 * 4;
        int headerLength = csrcEnd - offset;
        int payloadLength = offset + length - payloadStart;
        byte[] out = new byte[headerLength + block + payloadLength + trailer];
        System.arraycopy(rtp, offset, out, 0, headerLength);
        out[0] = (byte) (block == 0 ? out[0] & ~0x10 : out[0] | 0x10);
        out[1] = (byte) ((rtp[offset + 1] & 0x80) | payloadTypes[payloadType]);
        if (block > 0) {
            out[headerLength] = (byte) (ExtensionElements.ONE_BYTE_PROFILE >> 8);
            out[headerLength + 1] = (byte) ExtensionElements.ONE_BYTE_PROFILE;
            int words = (block - 4) / 4;
            out[headerLength + 2] = (byte) (words >> 8);
            out[headerLength + 3] = (byte) words;
            System.arraycopy(elements, 0, out, headerLength + 4, elementsLength);
        }
        System.arraycopy(rtp, payloadStart, out, headerLength + block, payloadLength);
        return Optional.of(out);
    }

    /**
     * Copies the elements the subscriber keeps, with its ids, in the one-byte form (RFC 8285 §4.2);
     * returns the bytes written, or -1 for a malformed block. Elements whose id or size does not
     * fit the one-byte form are dropped.
     */
    private int copyElements(byte[] rtp, int from, int to, int profile, byte[] out, int at) {
        if (!ExtensionElements.known(profile)) {
            return 0; // an extension profile of another kind (RFC 3550 §5.3.1): nothing we know
        }
        int[] written = {at};
        boolean wellFormed = ExtensionElements.forEach(rtp, from, to, profile, (id, start, size) -> {
            int target = id == publisherMidId ? 0 : extensionIds[id];
            if (target > 0 && target <= 14 && size >= 1 && size <= 16) {
                out[written[0]++] = (byte) (target << 4 | (size - 1));
                System.arraycopy(rtp, start, out, written[0], size);
                written[0] += size;
            }
            return true;
        });
        return wellFormed ? written[0] - at : -1;
    }

    /**
     * The transport-wide sequence number element, first in the block with a zero number, when the
     * subscriber negotiated it: the egress numbers each packet as it leaves
     * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). Returns the bytes written.
     */
    private int placeholder(byte[] elements) {
        if (transportSequenceId == 0) {
            return 0;
        }
        elements[0] = (byte) (transportSequenceId << 4 | 1);
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
