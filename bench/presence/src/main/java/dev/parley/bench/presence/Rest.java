package dev.parley.bench.presence;

import dev.parley.bench.common.DemoUserToken;
import dev.parley.bench.common.Replica;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Heartbeats over presence's REST API with one demo user's real Keycloak token (fetched again
 * well before the realm's 5-minute lifespan ends), and the replicas' change counter.
 */
final class Rest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "bench-http");
                thread.setDaemon(true);
                return thread;
            })).build();
    private final DemoUserToken token;

    Rest(DemoUser user) {
        this.token = new DemoUserToken(user);
    }

    String userId() {
        return Keycloak.subject(token.get());
    }

    /** {@code PUT /api/v1/presence/me/devices/{device}}; the HTTP status. */
    int beat(Replica replica, String device, String status) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.url() + "/api/v1/presence/me/devices/" + device))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.get())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code DELETE /api/v1/presence/me/devices/{device}}; the HTTP status. */
    int leave(Replica replica, String device) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.url() + "/api/v1/presence/me/devices/" + device))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.get())
                .DELETE()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@code parley_presence_changes_total} summed over {@code replicas}. */
    static double changes(List<Replica> replicas) throws IOException, InterruptedException {
        double sum = 0;
        for (Replica replica : replicas) {
            try {
                sum += replica.metricSum("parley_presence_changes_total", "");
            } catch (IllegalStateException notYet) {
                // The counter appears with the first evaluation a replica makes.
            }
        }
        return sum;
    }
}
