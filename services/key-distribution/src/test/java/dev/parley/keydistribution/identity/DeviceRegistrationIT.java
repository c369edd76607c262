package dev.parley.keydistribution.identity;

import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.kd.KeyDistributionException;
import dev.parley.client.kd.Wire;
import dev.parley.client.mls.CredentialChain;
import dev.parley.client.mls.CredentialRejectedException;
import dev.parley.client.mls.CredentialVerifier;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.MemberIdentity;
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
import java.util.Map;
import java.util.Optional;

import static dev.parley.client.kd.KeyDistributionClient.decode;
import static dev.parley.client.kd.KeyDistributionClient.encode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/**
 * Devices get credentials that bind their key to the signed-in identity, and a key can belong to
 * one identity only.
 */
@QuarkusTest
class DeviceRegistrationIT {

    @TestHTTPResource("/")
    URI base;

    @Inject
    GuestTokens guestTokens;

    private CallFixture calls;

    @BeforeEach
    void open() {
        calls = new CallFixture(base);
    }

    @AfterEach
    void close() {
        calls.close();
    }

    @Test
    void aDeviceCredentialNamesItsOwnerAndVerifiesAgainstTheCa() throws Exception {
        CallFixture.Person alice = calls.person(DemoUser.ALICE);
        CallFixture.RegisteredDevice device = calls.device(alice);

        CredentialVerifier verifier = new CredentialVerifier(decode(alice.client().authority().caCertificate()));
        MemberIdentity identity = verifier.verify(device.device().credential(), device.keys().publicKey());

        assertThat(identity.userId()).isEqualTo(alice.userId().value());
        assertThat(identity.deviceId()).isEqualTo(device.device().deviceId());
        assertThat(identity.roomId()).isEmpty();
        assertThatThrownBy(() -> verifier.verify(device.device().credential(), DeviceKeys.generate().publicKey()))
                .isInstanceOf(CredentialRejectedException.class);
    }

    @Test
    void registeringTheSameKeyAgainRenewsTheSameDevice() {
        CallFixture.Person bob = calls.person(DemoUser.BOB);
        DeviceKeys keys = DeviceKeys.generate();

        Wire.Device first = bob.client().register(keys);
        Wire.Device again = bob.client().register(keys);

        assertThat(again.deviceId()).isEqualTo(first.deviceId());
        assertThat(again.certificates().get(0)).as("a renewed certificate").isNotEqualTo(first.certificates().get(0));
        assertThat(bob.client().register(DeviceKeys.generate()).deviceId()).isNotEqualTo(first.deviceId());
    }

    @Test
    void aKeyRegisteredByOnePersonCannotBeRegisteredByAnother() {
        CallFixture.RegisteredDevice alices = calls.device(calls.person(DemoUser.ALICE));
        KeyDistributionClient bob = calls.person(DemoUser.BOB).client();

        assertThatThrownBy(() -> bob.register(alices.keys()))
                .isInstanceOfSatisfying(KeyDistributionException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.problem()).isEqualTo("key-registered-elsewhere");
                });
        // Without Alice's private key, Bob cannot even try: his proof over her key fails.
        DeviceKeys bobs = DeviceKeys.generate();
        given().auth().oauth2(calls.person(DemoUser.BOB).token()).contentType(ContentType.JSON)
                .body(Map.of("signatureKey", encode(alices.keys().publicKey()),
                        "proof", encode(bobs.sign(("parley-device-registration-v1:").getBytes()))))
                .when().post("/api/v1/devices")
                .then().statusCode(400).body("type", equalTo("https://parley.dev/problems/invalid-proof"));
    }

    @Test
    void aGuestDeviceIsScopedToTheGuestsRoom() throws Exception {
        RoomId room = CallFixture.newRoom();
        GuestIdentity guest = GuestIdentity.create("Gina Guest", room, new SecureRandom());
        KeyDistributionClient client = calls.client(guestTokens.issue(guest).token());
        DeviceKeys keys = DeviceKeys.generate();

        Wire.Device device = client.register(keys);

        assertThat(device.roomId()).isEqualTo(room.value());
        MemberIdentity identity = new CredentialVerifier(decode(client.authority().caCertificate()))
                .verify(device.credential(), keys.publicKey());
        assertThat(identity.userId()).isEqualTo(guest.userId().value());
        assertThat(identity.roomId()).isEqualTo(Optional.of(room.value()));
    }

    @Test
    void badRegistrationsAreTypedErrors() {
        String token = calls.person(DemoUser.CAROL).token();
        DeviceKeys keys = DeviceKeys.generate();
        Map<String, Map<String, Object>> cases = Map.of(
                "invalid-registration", Map.of("signatureKey", "not base64!", "proof", "AA"),
                "invalid-proof", Map.of("signatureKey", encode(keys.publicKey()), "proof", encode(new byte[64])));
        cases.forEach((problem, body) -> given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/devices")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://parley.dev/problems/" + problem)));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("signatureKey", encode(new byte[31]), "proof", "AA"))
                .when().post("/api/v1/devices").then().statusCode(400);
        given().auth().oauth2(token).when().get("/api/v1/devices/d-aaaaaaaaaaaaaaaaaaaaaaaaaa")
                .then().statusCode(404).body("type", equalTo("https://parley.dev/problems/device-not-found"));
        given().auth().oauth2(token).when().get("/api/v1/devices/nope")
                .then().statusCode(400).body("type", equalTo("https://parley.dev/problems/malformed-device-id"));
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/api/v1/devices")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void readinessChecksTheRealKafkaAndRedis() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
