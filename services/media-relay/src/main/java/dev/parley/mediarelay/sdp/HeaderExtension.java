package dev.parley.mediarelay.sdp;

/** An RTP header extension as {@code a=extmap:<id> <uri>} offers it (RFC 8285 §8). */
public record HeaderExtension(int id, String uri) {
}
