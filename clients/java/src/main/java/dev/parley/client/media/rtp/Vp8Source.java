package dev.parley.client.media.rtp;

/**
 * Synthetic VP8 video (RFC 7741) at a target bitrate: {@code fps} frames a second on the 90 kHz
 * clock (§4.1), a key frame every {@code keyFrameSeconds} four times the size of an average
 * frame (the interframes a little smaller, so the average holds), each frame split evenly into
 * packets of at most {@value #MAX_PAYLOAD} payload bytes with the marker bit on the last (§4.1).
 * Each packet's opaque part starts with a {@link PayloadStamp}.
 */
public final class Vp8Source implements MediaSource {

    /** Payload bytes per packet: with headers, SRTP tag, UDP and IP well under a 1500-byte MTU. */
    public static final int MAX_PAYLOAD = 1200;
    private static final int KEY_FRAME_FACTOR = 4;

    private final RtpWriter writer;
    private final int senderId;
    private final int fps;
    private final int framesPerKeyFrame;
    private final int averageFrameBytes;
    private final int interFrameBytes;
    private long timestamp;
    private long frames;
    private int counter;

    public Vp8Source(RtpWriter writer, int senderId, long firstTimestamp, int bitsPerSecond, int fps,
                     int keyFrameSeconds) {
        if (fps < 1 || keyFrameSeconds < 1 || bitsPerSecond < 8 * 64 * fps) {
            throw new IllegalArgumentException("fps and key frame interval at least 1, frames of at least 64 bytes");
        }
        this.writer = writer;
        this.senderId = senderId;
        this.timestamp = firstTimestamp;
        this.fps = fps;
        this.framesPerKeyFrame = fps * keyFrameSeconds;
        this.averageFrameBytes = bitsPerSecond / 8 / fps;
        this.interFrameBytes = Math.max(64, (int) ((long) averageFrameBytes * (framesPerKeyFrame - KEY_FRAME_FACTOR)
                / Math.max(1, framesPerKeyFrame - 1)));
    }

    @Override
    public long periodNanos() {
        return 1_000_000_000L / fps;
    }

    @Override
    public long ssrc() {
        return writer.ssrc();
    }

    @Override
    public void tick(PacketSink sink) {
        boolean keyFrame = frames % framesPerKeyFrame == 0;
        int frameBytes = keyFrame ? KEY_FRAME_FACTOR * averageFrameBytes : interFrameBytes;
        int packets = (frameBytes + MAX_PAYLOAD - 2) / (MAX_PAYLOAD - 1);
        int perPacket = (frameBytes + packets - 1) / packets;
        int left = frameBytes;
        for (int i = 0; i < packets; i++) {
            boolean first = i == 0;
            int opaque = Math.max(PayloadStamp.LENGTH, Math.min(perPacket, left) - Vp8Payload.length(first, keyFrame) + 1);
            left -= perPacket;
            byte[] buffer = new byte[64 + Vp8Payload.length(first, keyFrame) + opaque + 16];
            int at = writer.writeHeader(buffer, i == packets - 1, timestamp, -1);
            at = Vp8Payload.write(buffer, at, first, keyFrame);
            new PayloadStamp(senderId, counter++, System.nanoTime()).write(buffer, at);
            Noise.fill(buffer, at + PayloadStamp.LENGTH, opaque - PayloadStamp.LENGTH);
            sink.send(buffer, at + opaque);
        }
        frames++;
        timestamp += 90_000L / fps;
    }
}
