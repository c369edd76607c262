package dev.parley.client.media.rtp;

/** A synthetic media source: what it sends on every tick of its clock. */
public interface MediaSource {

    /** The time between ticks: an audio packet's duration, a video frame's. */
    long periodNanos();

    /** Sends what one period produces. Called from one thread at a time. */
    void tick(PacketSink sink);

    /** The stream's SSRC. */
    long ssrc();
}
