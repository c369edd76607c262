package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web app's {@code media-layout} (docs/protocol.md) end to end: two guests in a call in the real
 * web app; the viewer's window shrinks, so the publisher's tile shrinks: the app sends the tile's new
 * size (read from the WebSocket's frames, not from the app) and the relay sends a narrower simulcast
 * stream ({@code frameWidth} falls on the viewer's page). The window shrinks until the publisher's
 * tile is hidden behind "+1": the app sends 0×0 and no packet of that camera arrives for 2 s (the
 * relay paused it). The window grows back: the tile is reported large and the camera comes back at
 * its former width. The relay's {@code parley_media_layer_switches_total} counts the switches. The
 * steps run in {@code src/test/browser/app-relay-driver.mjs} (scenario {@code layout}).
 */
@ExtendWith(RunningSystem.Extension.class)
class WebAppLayoutIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theWebAppReportsItsTilesSizesAndTheRelayFollowsThem(RunningSystem system) throws Exception {
        ServiceProcess signaling = system.service("signaling");
        ServiceProcess relay = system.service("media-relay");
        String alice = Keycloak.accessToken(DemoUser.ALICE);
        String roomId = WebAppFailoverIT.room(signaling, alice, "Layout in the web app");
        ObjectNode config = JSON.createObjectNode().put("scenario", "layout")
                .put("link", WebAppFailoverIT.link(signaling, alice, roomId, 2));
        config.putArray("people").add(JSON.createObjectNode().put("name", "Pat Publisher"))
                .add(JSON.createObjectNode().put("name", "Vic Viewer"));

        double switchesBefore = layerSwitches(relay);
        try (AppDriver driver = AppDriver.start("app-relay-driver.mjs", config, "web-app-layout")) {
            driver.step("before", Duration.ofSeconds(180));
            JsonNode large = driver.step("large", Duration.ofSeconds(40));
            JsonNode small = driver.step("small", Duration.ofSeconds(40));
            JsonNode hidden = driver.step("hidden", Duration.ofSeconds(60));
            JsonNode shown = driver.step("shown", Duration.ofSeconds(60));
            driver.step("wire", Duration.ofSeconds(10));
            driver.step("done", Duration.ofSeconds(30));

            assertThat(small.path("layout").path("width").asInt()).as("the smaller tile's width reported")
                    .isLessThan(large.path("layout").path("width").asInt());
            assertThat(small.path("width").asInt()).as("a narrower stream decoded").isLessThan(large.path("width").asInt());
            assertThat(hidden.path("layout").path("width").asInt()).as("the hidden tile reported 0x0").isZero();
            assertThat(shown.path("width").asInt()).as("the former width again").isGreaterThanOrEqualTo(large.path("width").asInt());
            System.out.printf("[system] web app layout: tile %s reported %s, decoded %d wide; window 520x420: tile %s "
                            + "reported %s after %d ms, decoded %d wide %d ms after the resize; window %sx%s: tile hidden, "
                            + "0x0 reported after %d ms, nothing arrives for 2 s %d ms after the resize; window 1280x800 "
                            + "again: reported %s after %d ms, decoded %d wide %d ms after the resize; %.0f layer switches%n",
                    large.path("tile"), large.path("layout"), large.path("width").asInt(), small.path("tile"),
                    small.path("layout"), small.path("layoutMs").asLong(), small.path("width").asInt(),
                    small.path("widthMs").asLong(), hidden.path("window").path("width").asInt(),
                    hidden.path("window").path("height").asInt(), hidden.path("layoutMs").asLong(), hidden.path("pausedMs").asLong(),
                    shown.path("layout"), shown.path("layoutMs").asLong(), shown.path("width").asInt(),
                    shown.path("resumedMs").asLong(), layerSwitches(relay) - switchesBefore);
        }
        assertThat(layerSwitches(relay) - switchesBefore).as("the relay switched streams: smaller, paused, larger")
                .isGreaterThanOrEqualTo(3);
    }

    /** The relay's {@code parley_media_layer_switches_total}. */
    private static double layerSwitches(ServiceProcess relay) {
        String metrics = given().baseUri(relay.url()).when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_media_layer_switches_total ") || line.startsWith("parley_media_layer_switches_total{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("the relay exports no parley_media_layer_switches_total");
    }
}
