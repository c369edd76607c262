package dev.parley.keydistribution.group;

import dev.parley.client.kd.CallKeys;
import dev.parley.client.mls.PendingCommit;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.CallFixture;
import dev.parley.runtime.guest.GuestIdentity;
import dev.parley.runtime.guest.GuestTokens;
import dev.parley.testing.DemoUser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.parley.client.kd.KeyDistributionClient.encode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Malformed, oversized, misdirected and impersonating requests to a call's group get typed
 * errors, and the group is unchanged by them.
 */
@QuarkusTest
class HandshakeAbuseIT {

    @TestHTTPResource("/")
    URI base;

    @Inject
    GuestTokens guestTokens;

    private CallFixture calls;
    private CallFixture.RegisteredDevice alice;
    private CallKeys aliceKeys;
    private CallKeys bobKeys;
    private RoomId room;
    private ParticipantId aliceInCall;
    private long epoch;

    @BeforeEach
    void open() throws Exception {
        calls = new CallFixture(base);
        room = CallFixture.newRoom();
        alice = calls.device(calls.person(DemoUser.ALICE));
        aliceInCall = calls.join(room, alice.person().userId());
        aliceKeys = CallKeys.join(alice.person().client(), alice.keys(), alice.device(), room.value(), aliceInCall.value(), 2);
        aliceKeys.await(aliceKeys::joined, Duration.ofSeconds(10));
        // A second member: bcmls cannot commit in a group of one.
        CallFixture.RegisteredDevice bob = calls.device(calls.person(DemoUser.BOB));
        bobKeys = CallKeys.join(bob.person().client(), bob.keys(), bob.device(), room.value(),
                calls.join(room, bob.person().userId()).value(), 2);
        aliceKeys.await(() -> aliceKeys.leaves().size() == 2, Duration.ofSeconds(10));
        epoch = aliceKeys.epoch();
    }

    @AfterEach
    void close() {
        aliceKeys.close();
        bobKeys.close();
        calls.close();
    }

    @Test
    void malformedAndOversizedMessagesAreTypedErrors() throws Exception {
        byte[] commit = aliceKeys.prepareCommit().commitMessage();
        byte[] keyPackage = alice.keys().newKeyPackage(alice.device().credential()).message();
        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("garbage", submission(new byte[]{0, 1, 0, 1, 2, 3}, null));
        cases.put("a huge declared length", submission(new byte[]{0, 1, 0, 1, (byte) 0xbf, (byte) 0xff, (byte) 0xff, (byte) 0xff}, null));
        cases.put("trailing bytes", submission(Arrays.copyOf(commit, commit.length + 1), null));
        cases.put("a KeyPackage instead of a handshake", submission(keyPackage, null));
        cases.put("a KeyPackage instead of a Welcome", submission(commit, keyPackage));
        cases.put("no message", Map.of("deviceId", alice.device().deviceId()));
        Map<String, Object> notBase64 = new HashMap<>(submission(commit, null));
        notBase64.put("message", "%%%");
        cases.put("not base64url", notBase64);

        cases.forEach((what, body) -> given().auth().oauth2(alice.person().token()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(400).contentType("application/problem+json"));
        given().auth().oauth2(alice.person().token()).contentType(ContentType.JSON)
                .body(submission(new byte[600_000], null))
                .when().post("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(413).body("type", equalTo("https://parley.dev/problems/message-too-large"));

        assertThat(alice.person().client().group(room.value()).epoch()).isEqualTo(epoch);
    }

    @Test
    void aDeviceActsOnlyForItsOwnerAndOnlyInTheCallsItIsIn() throws Exception {
        CallFixture.RegisteredDevice carol = calls.device(calls.person(DemoUser.CAROL));
        PendingCommit alicesCommit = aliceKeys.prepareCommit();
        String carolToken = carol.person().token();

        // Carol presents Alice's device, or her own for Alice's leaf.
        given().auth().oauth2(carolToken).contentType(ContentType.JSON)
                .body(submission(alicesCommit.commitMessage(), null))
                .when().post("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-device"));
        Map<String, Object> asCarol = new HashMap<>(submission(alicesCommit.commitMessage(), null));
        asCarol.put("deviceId", carol.device().deviceId());
        given().auth().oauth2(carolToken).contentType(ContentType.JSON).body(asCarol)
                .when().post("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-leaf"));
        // Carol is not in the call: she can neither join it nor read its group.
        given().auth().oauth2(carolToken).contentType(ContentType.JSON)
                .body(Map.of("participantId", aliceInCall.value(), "deviceId", carol.device().deviceId()))
                .when().post("/api/v1/groups/" + room.value() + "/joins")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-in-call"));
        given().auth().oauth2(carolToken).when().get("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-in-call"));
        // Nor may she join with Alice's device, even once she is in the call.
        ParticipantId carolInCall = calls.join(room, carol.person().userId());
        given().auth().oauth2(carolToken).contentType(ContentType.JSON)
                .body(Map.of("participantId", carolInCall.value(), "deviceId", alice.device().deviceId()))
                .when().post("/api/v1/groups/" + room.value() + "/joins")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-device"));
        // A guest's identity is scoped to its room.
        String guest = guestTokens.issue(GuestIdentity.create("Gus", CallFixture.newRoom(), new SecureRandom())).token();
        given().auth().oauth2(guest).when().get("/api/v1/groups/" + room.value() + "/messages")
                .then().statusCode(403).body("type", equalTo("https://parley.dev/problems/not-your-room"));
        given().auth().oauth2(carolToken).contentType(ContentType.JSON).body(Map.of("participantId", "nope"))
                .when().post("/api/v1/groups/" + room.value() + "/joins")
                .then().statusCode(400).body("type", equalTo("https://parley.dev/problems/invalid-join"));

        assertThat(alice.person().client().group(room.value()).epoch()).isEqualTo(epoch);
    }

    private Map<String, Object> submission(byte[] message, byte[] welcome) {
        Map<String, Object> body = new HashMap<>(Map.of("deviceId", alice.device().deviceId(), "message", encode(message)));
        if (welcome != null) {
            body.put("welcome", encode(welcome));
        }
        return body;
    }
}
