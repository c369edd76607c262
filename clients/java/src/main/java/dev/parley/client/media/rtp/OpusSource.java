package dev.parley.client.media.rtp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Synthetic Opus (RFC 7587): a packet every 20 ms (960 ticks of the 48 kHz RTP clock, §4.1) of 60–100
 * bytes, as speech at 24–40 kbit/s is, carrying the audio level (RFC 6464) of someone talking in
 * bursts: two seconds of speech at −30 dBov with the voice-activity bit, then two of silence
 * (−127 dBov); the marker bit starts each talkspurt (RFC 3551 §4.1).
 */
public final class OpusSource implements MediaSource {

    private static final long PERIOD_NANOS = 20_000_000L;
    private static final int SAMPLES_PER_PACKET = 960;
    private static final int PACKETS_PER_BURST = 100;

    private final RtpWriter writer;
    private final int senderId;
    private long timestamp;
    private int counter;

    public OpusSource(RtpWriter writer, int senderId, long firstTimestamp) {
        this.writer = writer;
        this.senderId = senderId;
        this.timestamp = firstTimestamp;
    }

    @Override
    public long periodNanos() {
        return PERIOD_NANOS;
    }

    @Override
    public long ssrc() {
        return writer.ssrc();
    }

    @Override
    public void tick(PacketSink sink) {
        int payload = 60 + ThreadLocalRandom.current().nextInt(41);
        byte[] buffer = new byte[64 + payload + 16];
        boolean talking = (counter / PACKETS_PER_BURST) % 2 == 0;
        boolean talkspurtStarts = talking && counter % PACKETS_PER_BURST == 0;
        int level = talking ? 0x80 | 30 : 127;
        int at = writer.writeHeader(buffer, talkspurtStarts, timestamp, level);
        new PayloadStamp(senderId, counter, System.nanoTime()).write(buffer, at);
        Noise.fill(buffer, at + PayloadStamp.LENGTH, payload - PayloadStamp.LENGTH);
        timestamp += SAMPLES_PER_PACKET;
        counter++;
        sink.send(buffer, at + payload);
    }
}
