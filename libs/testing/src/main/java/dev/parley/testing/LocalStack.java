package dev.parley.testing;

/**
 * Where the local stack started by {@code dev/stack.sh} listens. The build passes these as system
 * properties (see the root pom); the defaults match the scripts' defaults.
 */
public final class LocalStack {

    private LocalStack() {
    }

    public static String kafkaBootstrap() {
        return System.getProperty("parley.kafka.bootstrap", "127.0.0.1:9092");
    }

    public static String redisUrl() {
        return System.getProperty("parley.redis.url", "redis://127.0.0.1:6379");
    }

    public static String keycloakUrl() {
        return System.getProperty("parley.keycloak.url", "http://127.0.0.1:8180");
    }

    public static String issuer() {
        return keycloakUrl() + "/realms/parley";
    }
}
