package dev.parley.mediarelay.sdp;

import dev.parley.media.dtls.DtlsIdentity;
import dev.parley.mediarelay.rtp.Ssrc;
import dev.parley.mediarelay.session.Session;
import dev.parley.mediarelay.session.SessionId;
import dev.parley.mediarelay.session.SessionRegistry;
import dev.parley.mediarelay.transport.MediaSocket;
import dev.parley.testing.Keycloak;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /api/v1/sessions} with a Chromium SDP offer answers in SDP and declares the offer's SSRCs. */
@QuarkusTest
class SdpSessionIT {

    @Inject
    DtlsIdentity certificate;
    @Inject
    MediaSocket socket;
    @Inject
    SessionRegistry sessions;

    private String token;

    @BeforeEach
    void token() {
        token = Keycloak.serviceToken();
    }

    @Test
    void anOfferIsAnsweredAndItsSsrcsDeclared() {
        String room = "sdp-" + UUID.randomUUID();
        JsonPath reply = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("roomId", room, "offer", SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN)))
                .when().post("/api/v1/sessions").then().statusCode(201).extract().jsonPath();
        SessionId id = new SessionId(UUID.fromString(reply.getString("sessionId")));
        List<String> answer = reply.getString("answer").lines().toList();
        try {
            assertThat(answer).contains("a=ice-lite", "a=group:BUNDLE 0 1 2", "a=setup:passive",
                    "a=fingerprint:sha-256 " + certificate.fingerprint().value(), "a=rtpmap:111 opus/48000/2",
                    "a=rtpmap:96 VP8/90000");
            assertThat(answer).filteredOn(line -> line.startsWith("a=mid:"))
                    .containsExactly("a=mid:0", "a=mid:1", "a=mid:2");
            assertThat(answer).anyMatch(line -> line.startsWith("a=candidate:")
                    && line.endsWith(" " + socket.localAddress().getPort() + " typ host"));

            Session session = sessions.byId(id).orElseThrow();
            assertThat(session.remoteIce().ufrag()).isEqualTo("Xk3f");
            for (long ssrc : new long[] {1001, 2001, 2002, 3001, 3002}) {
                assertThat(session.publishes(new Ssrc(ssrc))).as("SSRC %d", ssrc).isTrue();
            }
            assertThat(session.tracks()).hasSize(3);
        } finally {
            given().auth().oauth2(token).when().delete("/api/v1/sessions/" + id).then().statusCode(204);
        }
    }

    @Test
    void aBadOfferIsAProblem() {
        String noBundle = SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN).replace("a=group:BUNDLE", "a=group:LS");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("roomId", "r", "offer", noBundle))
                .when().post("/api/v1/sessions").then().statusCode(400)
                .contentType(containsString("json"))
                .body("type", containsString("invalid-sdp-offer"))
                .body("detail", containsString("no-bundle"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("offer", SdpFixtures.offer(SdpFixtures.AUDIO_VIDEO_SCREEN), "iceUfrag", "Xk3f"))
                .when().post("/api/v1/sessions").then().statusCode(400)
                .body("status", equalTo(400));
    }
}
