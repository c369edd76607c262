package dev.parley.signaling.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The call protocol's base layer against the real Keycloak: hello, typed errors, limits. The test
 * profile closes silent connections after 2 s.
 */
@QuarkusTest
class CallSocketIT {

    @TestHTTPResource("/ws/v1")
    URI endpoint;

    private JsonSocket connect() {
        return new JsonSocket(URI.create(endpoint.toString().replaceFirst("^http", "ws")), "client");
    }

    private static String hello(String token) {
        return "{\"type\":\"hello\",\"v\":1,\"id\":\"h1\",\"token\":\"" + token + "\"}";
    }

    private static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).isEqualTo("error");
        assertThat(message.path("code").asText()).as(message.toString()).isEqualTo(code);
    }

    @Test
    void aSignedInUserIsWelcomedWithTheirVerifiedIdentity() throws Exception {
        String token = Keycloak.accessToken(DemoUser.ALICE);
        try (JsonSocket socket = connect()) {
            socket.send(hello(token));
            JsonNode welcome = socket.next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("ref").asText()).isEqualTo("h1");
            assertThat(welcome.path("userId").asText()).isEqualTo(Keycloak.subject(token));
            assertThat(welcome.path("verified").asBoolean()).isTrue();
            assertThat(welcome.path("limits").path("maxMessageBytes").asInt()).isEqualTo(131072);

            socket.send("{\"type\":\"ping\",\"id\":\"p1\"}");
            JsonNode pong = socket.next();
            assertThat(pong.path("type").asText()).isEqualTo("pong");
            assertThat(pong.path("ref").asText()).isEqualTo("p1");
        }
    }

    @Test
    void aGuestIsWelcomedAsUnverifiedForTheirRoom() throws Exception {
        String alice = Keycloak.accessToken(DemoUser.ALICE);
        String roomId = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("name", "WS guests"))
                .when().post("/api/v1/rooms").then().statusCode(201).extract().path("id");
        String code = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("role", "guest"))
                .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
        String guestToken = given().contentType(ContentType.JSON).body(Map.of("displayName", "Grace"))
                .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200).extract().path("guestToken");

        try (JsonSocket socket = connect()) {
            socket.send(hello(guestToken));
            JsonNode welcome = socket.next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("verified").asBoolean()).isFalse();
            assertThat(welcome.path("displayName").asText()).isEqualTo("Grace");
            assertThat(welcome.path("guestRoomId").asText()).isEqualTo(roomId);
        }
    }

    @Test
    void anInvalidTokenIsRefusedAndDisconnected() throws Exception {
        String token = Keycloak.accessToken(DemoUser.BOB);
        String tampered = token.substring(0, token.length() - 4) + "AAAA";
        try (JsonSocket socket = connect()) {
            socket.send(hello(tampered));
            assertError(socket.next(), "unauthenticated");
            assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(4001);
        }
    }

    @Test
    void malformedInputGetsTypedErrorsAndTheConnectionStaysOpen() throws Exception {
        // Tokens first: the connection must say hello before the (test profile's) 2 s deadline.
        String carol = Keycloak.accessToken(DemoUser.CAROL);
        try (JsonSocket socket = connect()) {
            socket.send("{\"type\":\"ping\"}");
            assertError(socket.next(), "hello-required");
            socket.send("{\"type\":\"hello\",\"v\":1}");
            assertError(socket.next(), "invalid");
            socket.send(hello(carol));
            assertThat(socket.next().path("type").asText()).isEqualTo("welcome");

            socket.send("not json");
            assertError(socket.next(), "malformed");
            socket.send("[1,2,3]");
            assertError(socket.next(), "malformed");
            socket.send("{\"type\":42}");
            assertError(socket.next(), "malformed");
            socket.send("{\"type\":\"teleport\",\"id\":\"x\"}");
            JsonNode unknown = socket.next();
            assertError(unknown, "unknown-type");
            assertThat(unknown.path("ref").asText()).isEqualTo("x");
            socket.send(hello(carol));
            assertError(socket.next(), "already-authenticated");
            socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(140_000) + "\"}");
            assertError(socket.next(), "too-large");

            socket.send("{\"type\":\"ping\",\"id\":\"still-here\"}");
            assertThat(socket.next().path("ref").asText()).isEqualTo("still-here");
            assertThat(socket.isOpen()).isTrue();
        }
    }

    @Test
    void anUnsupportedVersionIsRefused() throws Exception {
        try (JsonSocket socket = connect()) {
            socket.send("{\"type\":\"hello\",\"v\":99,\"token\":\"x\"}");
            assertError(socket.next(), "unsupported-version");
            assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(4000);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHelloTimeout() throws Exception {
        try (JsonSocket socket = connect()) {
            assertError(socket.next(), "hello-timeout");
            assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(4002);
        }
    }

    @Test
    void aFloodIsRateLimitedAndThenDisconnected() throws Exception {
        String dave = Keycloak.accessToken(DemoUser.DAVE);
        try (JsonSocket socket = connect()) {
            socket.send(hello(dave));
            assertThat(socket.next().path("type").asText()).isEqualTo("welcome");
            for (int i = 0; i < 200 && socket.isOpen(); i++) {
                socket.send("{\"type\":\"ping\"}");
            }
            boolean sawRateLimited = false;
            JsonNode message;
            do {
                message = socket.next();
                sawRateLimited |= "rate-limited".equals(message.path("code").asText());
            } while (!"abusive".equals(message.path("code").asText()));
            assertThat(sawRateLimited).isTrue();
            assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(1008);
        }
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("parley_call_errors_total{code=\"abusive\"}"))
                .body(containsString("parley_call_connections"));
    }
}
