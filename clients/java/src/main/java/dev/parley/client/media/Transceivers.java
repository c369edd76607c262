package dev.parley.client.media;

import dev.parley.client.media.sdp.LocalSection;
import dev.parley.client.media.sdp.MediaKind;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The client's transceivers, as an {@code RTCPeerConnection} keeps them: sections are only ever
 * appended, never removed or reordered, so every offer repeats the earlier ones with their mids
 * (RFC 8829 §5.2.2). The microphone is mid {@code 0} and the camera the next one; receive-only
 * slots follow, added until each kind has as many as the plan asks for. Mids are the track ids
 * the relay reports (docs/protocol.md "Media").
 */
final class Transceivers {

    private final List<LocalSection> sections = new ArrayList<>();
    private final Set<Long> ssrcs = new HashSet<>();
    private final SecureRandom random;

    Transceivers(SecureRandom random) {
        this.random = random;
    }

    /** Adds what {@code plan} asks for and this client lacks; returns every section, in order. */
    List<LocalSection> apply(MediaPlan plan) {
        if (sections.isEmpty()) {
            if (plan.audio()) {
                sections.add(LocalSection.sending(nextMid(), MediaKind.AUDIO, newSsrc(), OptionalLong.empty(), "microphone"));
            }
            if (plan.video()) {
                sections.add(LocalSection.sending(nextMid(), MediaKind.VIDEO, newSsrc(), OptionalLong.of(newSsrc()), "camera"));
            }
        }
        addSlots(MediaKind.AUDIO, plan.audioSlots());
        addSlots(MediaKind.VIDEO, plan.videoSlots());
        return List.copyOf(sections);
    }

    /** The sending sections' sources by mid, for the negotiation. */
    Map<String, String> sources() {
        Map<String, String> sources = new LinkedHashMap<>();
        sections.stream().filter(s -> s.direction().sends())
                .forEach(s -> sources.put(s.mid(), s.kind() == MediaKind.AUDIO ? "microphone" : "camera"));
        return sources;
    }

    List<LocalSection> sending() {
        return sections.stream().filter(s -> s.direction().sends()).toList();
    }

    private void addSlots(MediaKind kind, int wanted) {
        long have = sections.stream().filter(s -> s.kind() == kind && !s.direction().sends()).count();
        for (long i = have; i < wanted; i++) {
            sections.add(LocalSection.receiving(nextMid(), kind));
        }
    }

    private String nextMid() {
        return Integer.toString(sections.size());
    }

    /** A random SSRC (RFC 3550 §8.1), not zero and not one this client already uses. */
    private long newSsrc() {
        long ssrc;
        do {
            ssrc = random.nextInt() & 0xFFFFFFFFL;
        } while (ssrc == 0 || !ssrcs.add(ssrc));
        return ssrc;
    }
}
