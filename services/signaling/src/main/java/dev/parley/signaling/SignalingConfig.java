package dev.parley.signaling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


/**
 * Signaling's own settings. Every key can be overridden by an environment variable named after it,
 * for example {@code PARLEY_SIGNALING_ROOMS_CREATOR_ROLE}.
 */
@ConfigMapping(prefix = "parley.signaling")
public interface SignalingConfig {

    /** Rules for creating rooms. */
    Rooms rooms();

    interface Rooms {

        /**
         * The Keycloak realm role a user needs to create rooms. Checked in code rather than by
         * annotation so operators can map it onto a role their realm already has.
         */
        @WithDefault("room-creator")
        String creatorRole();

        /** The participant limit of a room whose creator does not choose one. */
        @WithDefault("100")
        int defaultMaxParticipants();

        /** How many rooms one user may create per minute, across all replicas. */
        @WithDefault("20")
        int createPerMinute();

        /** How many room changes (settings, end) one user may make per minute. */
        @WithDefault("60")
        int changesPerMinute();
    }
}
