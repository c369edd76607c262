package dev.parley.signaling;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The rooms API is published as an OpenAPI document. */
@QuarkusTest
class OpenApiIT {

    @Test
    void theDocumentDescribesTheRoomsApi() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("\"/api/v1/rooms\""))
                .body(containsString("\"/api/v1/rooms/{roomId}\""))
                .body(containsString("\"/api/v1/rooms/{roomId}/end\""))
                .body(containsString("Parley signaling API"));
    }
}
