package dev.parley.client.media;

/**
 * What a client publishes (a microphone, a camera) and how many receive-only sections (slots for
 * others' tracks, docs/protocol.md "Media") it offers of each kind.
 */
public record MediaPlan(boolean audio, boolean video, VideoSettings videoSettings, int audioSlots, int videoSlots) {

    public MediaPlan {
        if (audioSlots < 0 || videoSlots < 0 || (!audio && !video && audioSlots + videoSlots == 0)) {
            throw new IllegalArgumentException("a client sends or receives something, with non-negative slot counts");
        }
    }

    /** A participant with microphone and camera that receives {@code others} participants' audio and video. */
    public static MediaPlan publisher(VideoSettings video, int others) {
        return new MediaPlan(true, true, video, others, others);
    }

    /** A participant that only watches {@code publishers} participants. */
    public static MediaPlan subscriber(int publishers) {
        return new MediaPlan(false, false, VideoSettings.DEFAULT, publishers, publishers);
    }

    /** The same plan with room for {@code audio} and {@code video} slots (for a renegotiation). */
    public MediaPlan withSlots(int audio, int video) {
        return new MediaPlan(this.audio, this.video, videoSettings, audio, video);
    }
}
