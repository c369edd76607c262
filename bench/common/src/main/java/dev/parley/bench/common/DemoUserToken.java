package dev.parley.bench.common;

import dev.parley.testing.DemoUser;
import dev.parley.testing.Keycloak;

import java.util.function.Supplier;

/**
 * An access token of one demo user (password grant on the local Keycloak), fetched again well
 * before the realm's 5-minute lifespan runs out, so a phase of several minutes never sends an
 * expired one.
 */
public final class DemoUserToken implements Supplier<String> {

    private static final long REFRESH_NANOS = 120_000_000_000L;

    private final DemoUser user;
    private String token;
    private long fetchedAt;

    public DemoUserToken(DemoUser user) {
        this.user = user;
    }

    @Override
    public synchronized String get() {
        if (token == null || System.nanoTime() - fetchedAt > REFRESH_NANOS) {
            token = Keycloak.accessToken(user);
            fetchedAt = System.nanoTime();
        }
        return token;
    }
}
