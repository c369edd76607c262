package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.client.kd.CallKeys;
import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.SFrameKeys;
import dev.parley.testing.JsonSocket;
import dev.parley.testing.Keycloak;
import io.restassured.http.ContentType;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.parley.testing.JsonSocket.message;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** People in a call on the packaged services: on signaling's call socket, and in the call's MLS group. */
final class CallMembers {

    static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CallMembers() {
    }

    record Member(JsonSocket call, KeyDistributionClient client, CallKeys keys) {
    }

    /**
     * Joins the call on signaling (invited by the host unless it is the host), then its group
     * through the given key-distribution replicas, in order of preference.
     */
    static Member join(ServiceProcess signaling, String roomId, String token, String hostToken,
                       List<ServiceProcess> replicas, List<AutoCloseable> open) {
        if (hostToken != null) {
            String code = given().baseUri(signaling.url()).auth().oauth2(hostToken).contentType(ContentType.JSON)
                    .body(Map.of("role", "participant", "maxUses", 1))
                    .when().post("/api/v1/rooms/" + roomId + "/invites").then().statusCode(201).extract().path("code");
            given().baseUri(signaling.url()).auth().oauth2(token).contentType(ContentType.JSON).body(Map.of())
                    .when().post("/api/v1/invites/" + code + "/redeem").then().statusCode(200);
        }
        JsonSocket call = JsonSocket.welcomed(signaling.url(), "/ws/v1", token, Keycloak.subject(token));
        open.add(call);
        call.send(message("join").put("roomId", roomId));
        JsonNode joined = call.expect("joined");
        KeyDistributionClient client = client(token, replicas);
        DeviceKeys keys = DeviceKeys.generate();
        CallKeys callKeys = CallKeys.join(client, keys, client.register(keys), roomId,
                joined.path("you").path("participantId").asText(), 3);
        open.add(callKeys);
        return new Member(call, client, callKeys);
    }

    /** Waits until every member has the group with {@code size} members, all at one epoch. */
    static void awaitConverged(List<Member> members, int size) throws Exception {
        for (Member member : members) {
            member.keys().await(() -> member.keys().joined() && member.keys().leaves().size() == size, PATIENCE);
        }
        await("one epoch for all").atMost(PATIENCE).pollInterval(Duration.ofMillis(5)).until(() ->
                members.stream().map(member -> member.keys().epoch()).distinct().count() == 1);
        for (Member member : members) {
            member.keys().await(() -> true, PATIENCE); // Rethrows anything its stream failed on.
        }
    }

    static KeyDistributionClient client(String token, List<ServiceProcess> replicas) {
        return new KeyDistributionClient(HTTP, replicas.stream().map(replica -> URI.create(replica.url())).toList(), () -> token);
    }

    /** The member's SFrame base key of its current epoch (RFC 9605 §5.2). */
    static byte[] base(Member member) {
        return member.keys().exporter(SFrameKeys.EXPORTER_LABEL, SFrameKeys.KEY_LENGTH);
    }
}
