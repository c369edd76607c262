package dev.parley.bench.common;

import dev.parley.testing.LocalStack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where every replica finds the local stack, as a deployment passes it (environment variables):
 * Kafka, the bench's Redis, Keycloak as issuer; and a guest-token secret made for this run, the
 * same for all replicas so a guest token one issues is accepted by the others.
 */
public final class StackEnvironment {

    public static final String KAFKA = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String REDIS = "QUARKUS_REDIS_HOSTS";
    public static final String ISSUER = "QUARKUS_OIDC_AUTH_SERVER_URL";

    private StackEnvironment() {
    }

    /**
     * The variable of {@code service}'s {@code parley.<service>.guests.token-secret}; a dash in the
     * name becomes an underscore, as in every environment variable Quarkus reads
     * ({@code key-distribution}: {@code PARLEY_KEY_DISTRIBUTION_GUESTS_TOKEN_SECRET}).
     */
    public static String guestSecret(String service) {
        return "PARLEY_" + service.toUpperCase(Locale.ROOT).replace('-', '_') + "_GUESTS_TOKEN_SECRET";
    }

    /** The variables above, in this order, then the secret; a mutable map, for the bench's own settings to follow. */
    static Map<String, String> of(String service, String redisUrl) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(KAFKA, LocalStack.kafkaBootstrap());
        env.put(REDIS, redisUrl);
        env.put(ISSUER, LocalStack.issuer());
        env.put(guestSecret(service), HexFormat.of().formatHex(secret));
        return env;
    }
}
