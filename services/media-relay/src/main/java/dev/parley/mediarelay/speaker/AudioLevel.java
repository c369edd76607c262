package dev.parley.mediarelay.speaker;

/**
 * The client-to-mixer audio level of one RTP audio packet (RFC 6464 §3): the level in −dBov, so
 * {@code 0} is the loudest signal the sender can encode and {@value #SILENCE} is silence, and the
 * V flag, the sender's own voice-activity decision, which RFC 6464 makes optional.
 *
 * @param level         0..127, the audio level in −dBov
 * @param voiceActivity the V flag
 */
public record AudioLevel(int level, boolean voiceActivity) {

    /** −127 dBov: the quietest level the extension can express, which RFC 6464 §3 uses for silence. */
    public static final int SILENCE = 127;

    public AudioLevel {
        if (level < 0 || level > SILENCE) {
            throw new IllegalArgumentException("an audio level is 0..127 (-dBov): " + level);
        }
    }

    /** From the extension's one data byte (RFC 6464 §3): V in the top bit, the level in the seven below. */
    public static AudioLevel fromByte(int dataByte) {
        return new AudioLevel(dataByte & 0x7F, (dataByte & 0x80) != 0);
    }
}
