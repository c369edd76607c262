package dev.parley.bench.keydistribution;

import dev.parley.bench.common.DemoUserToken;
import dev.parley.bench.common.Replica;
import dev.parley.client.kd.KeyDistributionClient;
import dev.parley.events.identity.UserId;
import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who the bench's call members are: the four demo users in turn, each with a real Keycloak access
 * token (fetched again before it expires). One user may hold many participants and devices of a
 * call, which the service allows, so a 50-member group needs no 50 accounts.
 *
 * <p>Clients speak HTTP/1.1, as separate devices would: each member's stream holds a connection
 * of its own. They share a few {@link HttpClient}s, each with its own selector thread, so one
 * thread does not read every stream of the bench.
 */
final class People {

    /** One demo user: who a participant is in the call's roster, and the token the service checks. */
    record Person(DemoUser user, UserId userId, DemoUserToken token) {
    }

    private static final int HTTP_CLIENTS = 8;

    private final List<Person> people = new ArrayList<>();
    private final List<HttpClient> http = new ArrayList<>();
    private final AtomicInteger nextHttp = new AtomicInteger();

    People() {
        for (DemoUser user : DemoUser.values()) {
            DemoUserToken token = new DemoUserToken(user);
            people.add(new Person(user, new UserId(Keycloak.subject(token.get())), token));
        }
        for (int i = 0; i < HTTP_CLIENTS; i++) {
            http.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
        }
    }

    /** The {@code n}th member's person: the demo users in turn. */
    Person person(int n) {
        return people.get(Math.floorMod(n, people.size()));
    }

    /** A client of {@code replica} signed in as {@code person}, on the next of the shared HTTP clients. */
    KeyDistributionClient client(Person person, Replica replica) {
        return new KeyDistributionClient(http.get(Math.floorMod(nextHttp.getAndIncrement(), http.size())),
                URI.create(replica.url()), person.token());
    }
}
