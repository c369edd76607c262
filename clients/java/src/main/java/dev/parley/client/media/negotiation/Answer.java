package dev.parley.client.media.negotiation;

import java.util.List;
import java.util.Objects;

/** The relay's answer to an offer: the SDP, and which track each receive-only section carries. */
public record Answer(String sdp, List<Subscription> subscriptions) {

    public Answer {
        Objects.requireNonNull(sdp, "sdp");
        subscriptions = List.copyOf(subscriptions);
    }
}
