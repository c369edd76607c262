package dev.parley.signaling.conference;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This signaling replica's name in live call state: the host name (the pod name in Kubernetes)
 * and a random suffix, so a restarted process is a new replica and never mistaken for the dead one.
 */
@ApplicationScoped
public class ReplicaId {

    private final String value;

    ReplicaId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "signaling");
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        this.value = host + "-" + HexFormat.of().formatHex(suffix);
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
