package dev.parley.signaling.media;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which relay of a room a new participant uses ({@code docs/architecture.md}, "Media negotiation",
 * cascading). A room has a home relay ({@link RelayPlacement}) and may span others; the
 * participant goes, in this order of preference:
 * <ol>
 *   <li>to a relay of the room in its region with room to spare (the home relay first when it
 *       qualifies, otherwise the least loaded);</li>
 *   <li>to a relay in its region that the room does not use yet, which joins the room;</li>
 *   <li>to the home relay, if it has room to spare;</li>
 *   <li>to another relay of the room with room to spare;</li>
 *   <li>to any relay with room to spare, which joins the room;</li>
 *   <li>to the home relay, full as it is.</li>
 * </ol>
 * "Room to spare": stress below the threshold; relays that drain take no participants they do not
 * carry a room of, except the home relay, which keeps its calls while it drains. Without a region,
 * steps 1 and 2 are skipped. Pure: the tests call it with made-up relays.
 */
final class CascadeChoice {

    private CascadeChoice() {
    }

    /** The relay chosen, and whether it joins the room's relays now. */
    record Choice(Relay relay, boolean joins) {
    }

    static Choice choose(Relay home, Collection<Relay> roomRelays, Collection<Relay> live, Optional<String> region,
                         double maxStress) {
        Predicate<Relay> spare = relay -> relay.stress() < maxStress;
        Predicate<Relay> usable = spare.and(relay -> relay.equals(home) || !relay.draining());
        Comparator<Relay> homeFirst = Comparator.comparing((Relay relay) -> !relay.id().equals(home.id()))
                .thenComparing(Relay.LEAST_LOADED);
        if (region.isPresent()) {
            Predicate<Relay> inRegion = relay -> relay.region().equals(region.get());
            Optional<Relay> ofRoom = roomRelays.stream().filter(inRegion.and(usable)).min(homeFirst);
            if (ofRoom.isPresent()) {
                return new Choice(ofRoom.get(), false);
            }
            Optional<Relay> joining = live.stream().filter(inRegion.and(usable))
                    .filter(relay -> roomRelays.stream().noneMatch(member -> member.id().equals(relay.id())))
                    .min(Relay.LEAST_LOADED);
            if (joining.isPresent()) {
                return new Choice(joining.get(), true);
            }
        }
        if (spare.test(home)) {
            return new Choice(home, false);
        }
        Optional<Relay> ofRoom = roomRelays.stream().filter(usable).min(Relay.LEAST_LOADED);
        if (ofRoom.isPresent()) {
            return new Choice(ofRoom.get(), false);
        }
        return live.stream().filter(usable)
                .filter(relay -> roomRelays.stream().noneMatch(member -> member.id().equals(relay.id())))
                .min(Relay.LEAST_LOADED)
                .map(relay -> new Choice(relay, true))
                .orElse(new Choice(home, false));
    }
}
