package dev.parley.signaling.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Signaling serves the web app: its page at the root and at the app's own paths (invite links,
 * rooms), its bundled scripts, and the deployment's addresses the app reads first.
 */
@QuarkusTest
class WebAppIT {

    @Test
    void thePageIsServedAtTheRootAndAtTheAppsOwnPaths() {
        for (String path : new String[] {"/", "/join/Zm9vYmFyYmF6cXV4cXV1eDEy", "/room/abcd-efgh-ijkl"}) {
            given().when().get(path).then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Referrer-Policy", "no-referrer")
                    .body(containsString("<div id=\"app\">"));
        }
    }

    @Test
    void theBundledScriptIsServed() {
        String page = given().when().get("/").then().statusCode(200).extract().asString();
        String script = page.replaceAll("(?s).*<script type=\"module\" crossorigin src=\"([^\"]+)\".*", "$1");
        given().when().get(script).then().statusCode(200).contentType(containsString("javascript"));
    }

    @Test
    void theClientConfigurationIsPublic() {
        given().when().get("/api/v1/client-config").then().statusCode(200)
                .body("issuer", equalTo("http://127.0.0.1:8180/realms/parley"))
                .body("clientId", equalTo("parley-web"))
                .body("keyDistributionUrl", equalTo("http://127.0.0.1:8082"))
                .body("presenceUrl", equalTo("http://127.0.0.1:8081"))
                .body("mediaRegion", nullValue()); // unset: the app states no region in its media offers
    }
}
