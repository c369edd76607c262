package dev.parley.signaling.media;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a room's new participant goes: its region, the home relay, load, and relays joining the room. */
class CascadeChoiceTest {

    private static final double MAX = 0.8;
    private static final Relay HOME_EU = relay("home-eu", "eu", 0.3, false);
    private static final Relay EU_2 = relay("eu-2", "eu", 0.1, false);
    private static final Relay US_1 = relay("us-1", "us", 0.5, false);
    private static final Relay US_2 = relay("us-2", "us", 0.2, false);
    private static final Relay AP_FULL = relay("ap-1", "ap", 0.9, false);

    @Test
    void aParticipantOfTheHomeRegionStaysHomeEvenWhenAnotherRelayThereIsLessLoaded() {
        assertThat(choose(HOME_EU, List.of(HOME_EU, EU_2), List.of(HOME_EU, EU_2, US_1), "eu"))
                .isEqualTo(new CascadeChoice.Choice(HOME_EU, false));
    }

    @Test
    void aParticipantOfAnotherRegionGoesToTheRoomsRelayThereOrTheLeastLoadedRelayThereJoins() {
        assertThat(choose(HOME_EU, List.of(HOME_EU, US_1), List.of(HOME_EU, US_1, US_2), "us"))
                .as("the room already has a relay in us").isEqualTo(new CascadeChoice.Choice(US_1, false));
        assertThat(choose(HOME_EU, List.of(HOME_EU), List.of(HOME_EU, US_1, US_2), "us"))
                .as("the least loaded us relay joins the room").isEqualTo(new CascadeChoice.Choice(US_2, true));
    }

    @Test
    void aRegionWithoutARelayWithRoomToSpareFallsBackToTheHomeRelay() {
        assertThat(choose(HOME_EU, List.of(HOME_EU), List.of(HOME_EU, AP_FULL, US_1), "ap"))
                .isEqualTo(new CascadeChoice.Choice(HOME_EU, false));
        assertThat(choose(HOME_EU, List.of(HOME_EU), List.of(HOME_EU, US_1), "mars"))
                .isEqualTo(new CascadeChoice.Choice(HOME_EU, false));
        assertThat(choose(HOME_EU, List.of(HOME_EU), List.of(HOME_EU, US_1), null))
                .as("no region stated").isEqualTo(new CascadeChoice.Choice(HOME_EU, false));
    }

    @Test
    void aStressedHomeSpreadsTheRoomToARelayOfTheRoomThenToAnyRelayWithRoomToSpare() {
        Relay stressedHome = relay("home-eu", "eu", 0.85, false);
        assertThat(choose(stressedHome, List.of(stressedHome, US_1), List.of(stressedHome, US_1, EU_2), null))
                .as("a relay the room already uses").isEqualTo(new CascadeChoice.Choice(US_1, false));
        assertThat(choose(stressedHome, List.of(stressedHome), List.of(stressedHome, US_1, EU_2), null))
                .as("the least loaded relay joins").isEqualTo(new CascadeChoice.Choice(EU_2, true));
        assertThat(choose(stressedHome, List.of(stressedHome), List.of(stressedHome, EU_2), "eu"))
                .as("in the participant's region").isEqualTo(new CascadeChoice.Choice(EU_2, true));
        assertThat(choose(stressedHome, List.of(stressedHome), List.of(stressedHome, AP_FULL), null))
                .as("nothing better: home, full as it is").isEqualTo(new CascadeChoice.Choice(stressedHome, false));
    }

    @Test
    void drainingRelaysJoinNoRoomButADrainingHomeKeepsItsCall() {
        Relay drainingUs = relay("us-d", "us", 0.0, true);
        assertThat(choose(HOME_EU, List.of(HOME_EU), List.of(HOME_EU, drainingUs), "us"))
                .isEqualTo(new CascadeChoice.Choice(HOME_EU, false));
        Relay drainingHome = relay("home-eu", "eu", 0.2, true);
        assertThat(choose(drainingHome, List.of(drainingHome), List.of(drainingHome, EU_2), "eu"))
                .isEqualTo(new CascadeChoice.Choice(drainingHome, false));
    }

    private static CascadeChoice.Choice choose(Relay home, List<Relay> room, List<Relay> live, String region) {
        return CascadeChoice.choose(home, room, live, Optional.ofNullable(region), MAX);
    }

    private static Relay relay(String id, String region, double stress, boolean draining) {
        return new Relay(id, URI.create("http://" + id + ":8083"), region, 10, stress, draining);
    }
}
