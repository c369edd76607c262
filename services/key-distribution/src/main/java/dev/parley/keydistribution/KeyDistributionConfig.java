package dev.parley.keydistribution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Key distribution's own settings; each key can be overridden by an environment variable named
 * after it, for example {@code PARLEY_KEY_DISTRIBUTION_GROUPS_GROUP_ID_BYTES}.
 */
@ConfigMapping(prefix = "parley.key-distribution")
public interface KeyDistributionConfig {

    /** The MLS groups this service is the Delivery Service of. */
    Groups groups();

    interface Groups {

        /**
         * Length of the random MLS {@code group_id} assigned to each call. RFC 9420 leaves the
         * form of a group id to the application; 32 random bytes make collisions across every
         * Parley deployment negligible and reveal nothing about the room.
         */
        @WithDefault("32")
        int groupIdBytes();
    }
}
