package dev.parley.mediarelay.session;

import dev.parley.mediarelay.rtp.MediaKind;
import dev.parley.mediarelay.rtp.SectionFormat;
import dev.parley.mediarelay.sdp.CodecSelection;
import dev.parley.mediarelay.sdp.HeaderExtensionSelection;
import dev.parley.mediarelay.sdp.MediaSection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which track each receiving section of a subscriber's offer carries
 * ({@code docs/protocol.md}, "Media"): a slot keeps its track while that track lives; a slot whose
 * track is gone turns inactive; each live track no slot carries goes to a free slot of its kind,
 * in the offer's order. A slot is free when the previous answer left it inactive, or it is new: a
 * section only ever changes track through an inactive answer, so the browser ends one remote
 * track and fires {@code ontrack} for the next (RFC 8829 §5.10).
 */
final class SlotPlanner {

    private SlotPlanner() {
    }

    /**
     * The slots for {@code receiving} (the offer's {@code recvonly} sections, in order), given the
     * session's {@code previous} slots by mid and the room's {@code live} feeds in the order they
     * should be served.
     */
    static Map<String, Slot> plan(List<MediaSection> receiving, Map<String, Slot> previous, List<Feed> live) {
        Map<String, Slot> planned = new LinkedHashMap<>();
        List<Feed> unserved = new ArrayList<>(live);
        List<MediaSection> free = new ArrayList<>();
        for (MediaSection section : receiving) {
            String mid = section.mid().orElseThrow();
            MediaKind kind = MediaKind.valueOf(section.kind().toUpperCase(Locale.ROOT));
            SectionFormat format = new SectionFormat(mid, CodecSelection.select(section),
                    HeaderExtensionSelection.select(section));
            Slot before = previous.get(mid);
            Optional<Feed> kept = before == null || before.kind() != kind ? Optional.empty()
                    : before.feed().filter(unserved::contains);
            if (kept.isPresent()) {
                unserved.remove(kept.get());
                planned.put(mid, before.renegotiated(format));
            } else {
                planned.put(mid, Slot.inactive(mid, kind, format));
                if (before == null || before.feed().isEmpty()) {
                    free.add(section);
                }
            }
        }
        for (MediaSection section : free) {
            String mid = section.mid().orElseThrow();
            Slot slot = planned.get(mid);
            unserved.stream().filter(feed -> feed.track().kind() == slot.kind()).findFirst().ifPresent(feed -> {
                unserved.remove(feed);
                planned.put(mid, Slot.carrying(mid, slot.kind(), slot.format(), feed));
            });
        }
        return planned;
    }
}
