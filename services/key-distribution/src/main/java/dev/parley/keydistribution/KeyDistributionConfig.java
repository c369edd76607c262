package dev.parley.keydistribution;

import dev.parley.runtime.guest.GuestTokenSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Key distribution's own settings; each key can be overridden by an environment variable named
 * after it, for example {@code PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED}.
 */
@ConfigMapping(prefix = "parley.key-distribution")
public interface KeyDistributionConfig {

    /** The Parley CA that certifies device keys. */
    Authority authority();

    /** KeyPackage supply. */
    KeyPackages keyPackages();

    /** The MLS groups this service is the Delivery Service of. */
    Groups groups();

    /** Guests' tokens, issued by signaling. */
    GuestTokenSettings guests();

    interface Authority {

        /**
         * 32 random bytes, base64: the CA's Ed25519 private key, from which the external-sender
         * key is also derived. The same on every replica; no default outside dev and test
         * (production reads it from a Kubernetes Secret).
         */
        String seed();

        /** Appears in the CA's and the service's certificate subjects. */
        @WithDefault("Parley")
        String name();

        /** How long a device certificate is valid; a device re-registers (same key) to renew. */
        @WithDefault("30d")
        Duration deviceCredentialLifetime();
    }

    interface KeyPackages {

        /** At most this many KeyPackages in one upload. */
        @WithDefault("100")
        int maxBatch();

        /** At most this many unclaimed KeyPackages kept per device. */
        @WithDefault("500")
        int maxPerDevice();

        /** A device whose supply falls below this is told to upload more. */
        @WithDefault("10")
        int lowWatermark();

        /** The largest KeyPackage accepted, encoded. */
        @WithDefault("8192")
        int maxBytes();
    }

    interface Groups {

        /**
         * Length of the random MLS {@code group_id} assigned to each call. RFC 9420 leaves the
         * form of a group id to the application; 32 random bytes make collisions across every
         * Parley deployment negligible and reveal nothing about the room.
         */
        @WithDefault("32")
        int groupIdBytes();

        /**
         * The largest handshake message plus Welcome accepted, encoded: a Welcome carries the
         * ratchet tree, about 250 bytes per member, so 512 KiB covers groups of well over 1,000.
         */
        @WithDefault("524288")
        int maxMessageBytes();

        /** How long a submission waits for its verdict before the caller is told to retry. */
        @WithDefault("5s")
        Duration verdictTimeout();

        /**
         * How long a join request waits for signaling's report that the caller is in the call
         * (the call and this service learn of a join through different topics).
         */
        @WithDefault("5s")
        Duration callMembershipWait();
    }
}
