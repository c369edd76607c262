package dev.parley.mediarelay.rtcp;

import java.util.ArrayList;
import java.util.List;

/** The list of report blocks that SR and RR share (RFC 3550 §6.4.1, §6.4.2): at most 31, counted by RC. */
final class ReportBlocks {

    static final int MAX_COUNT = 31;

    private ReportBlocks() {
    }

    static List<ReportBlock> requireCount(List<ReportBlock> blocks) {
        if (blocks.size() > MAX_COUNT) {
            throw new IllegalArgumentException("at most 31 report blocks fit the RC field: " + blocks.size());
        }
        return List.copyOf(blocks);
    }

    /** The RC blocks starting at {@code start}; anything after them is a profile-specific extension, ignored. */
    static List<ReportBlock> read(RtcpPacket packet, int start) throws MalformedRtcpException {
        int count = packet.countOrFormat();
        int end = start + count * ReportBlock.LENGTH;
        if (end > packet.offset() + packet.contentLength()) {
            throw new MalformedRtcpException(count + " report blocks do not fit a " + packet.length() + "-byte packet");
        }
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = start; i < end; i += ReportBlock.LENGTH) {
            blocks.add(ReportBlock.read(packet.data(), i));
        }
        return List.copyOf(blocks);
    }

    static void write(List<ReportBlock> blocks, byte[] out, int start) {
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).writeTo(out, start + i * ReportBlock.LENGTH);
        }
    }
}
