package dev.parley.runtime.guest;

import dev.parley.events.room.RoomId;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guest tokens with a fixed clock: lifetime, key rotation, forgery. */
class GuestTokensTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";
    private static final Duration LIFETIME = Duration.ofHours(4);
    private static final Duration ROTATION = Duration.ofHours(24);
    private static final Instant START = Instant.parse("2026-11-25T22:00:00Z");

    private final GuestIdentity guest = GuestIdentity.create("Grace", RoomId.random(new SecureRandom()), new SecureRandom());

    private static GuestTokens at(Instant now) {
        return new GuestTokens(SECRET, LIFETIME, ROTATION, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenNamesItsGuestAndRoomUntilItExpires() {
        GuestTokens.Issued issued = at(START).issue(guest);

        assertThat(issued.expiresAt()).isEqualTo(START.plus(LIFETIME));
        assertThat(GuestTokens.looksLikeGuestToken(issued.token())).isTrue();
        assertThat(at(START.plus(LIFETIME).minusSeconds(1)).verify(issued.token())).contains(guest);
        assertThat(at(START.plus(LIFETIME)).verify(issued.token())).isEmpty();
    }

    @Test
    void tokensSignedBeforeARotationStayValidForTheirLifetime() {
        // 22:00 + 4 h crosses midnight (UTC), where the signing key changes.
        GuestTokens.Issued issued = at(START).issue(guest);
        assertThat(at(Instant.parse("2026-11-26T00:30:00Z")).verify(issued.token())).contains(guest);
        assertThat(at(Instant.parse("2026-11-26T00:30:00Z")).issue(guest).token())
                .isNotEqualTo(issued.token());
    }

    @Test
    void forgedAlteredAndForeignTokensAreRejected() {
        String token = at(START).issue(guest).token();
        String[] parts = token.split("\\.");
        String otherRoom = new String(Base64.getUrlDecoder().decode(parts[1]))
                .replace(guest.roomId().value(), "aaaa-bbbb-cccc");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(otherRoom.getBytes())
                + "." + parts[2];
        GuestTokens otherSecret = new GuestTokens(SECRET + "-other", LIFETIME, ROTATION, Clock.fixed(START, ZoneOffset.UTC));

        assertThat(at(START).verify(altered)).isEmpty();
        assertThat(otherSecret.verify(token)).isEmpty();
        assertThat(at(START).verify(otherSecret.issue(guest).token())).isEmpty();
        assertThat(at(START).verify("not.a.token")).isEmpty();
        assertThat(at(START).verify(parts[0] + "." + parts[1] + ".")).isEmpty();
        assertThat(GuestTokens.looksLikeGuestToken("eyJhbGciOiJSUzI1NiJ9.e30.x")).isFalse();
    }

    @Test
    void aWeakSecretOrALifetimeBeyondTheRotationIsRefused() {
        assertThatThrownBy(() -> new GuestTokens("short", LIFETIME, ROTATION, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestTokens(SECRET, Duration.ofHours(25), ROTATION, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
