package dev.parley.signaling;

import dev.parley.runtime.guest.GuestTokenSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Signaling's own settings. Every key can be overridden by an environment variable named after it,
 * for example {@code PARLEY_SIGNALING_ROOMS_CREATOR_ROLE}.
 */
@ConfigMapping(prefix = "parley.signaling")
public interface SignalingConfig {

    /**
     * The address people open, used to build invite links ({@code <public-url>/join/<code>}).
     * Behind an ingress this is its external URL.
     */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    /** Rules for creating rooms. */
    Rooms rooms();

    /** Rules for invite links. */
    Invites invites();

    /** The call protocol's WebSocket ({@code /ws/v1}). */
    Calls calls();

    /** What the web app is told about the deployment ({@code GET /api/v1/client-config}). */
    Web web();

    interface Web {

        /** The Keycloak realm's public issuer URL, where browsers sign in (authorization code + PKCE). */
        @WithDefault("http://127.0.0.1:8180/realms/parley")
        String issuer();

        /** The public OIDC client of the web app. */
        @WithDefault("parley-web")
        String clientId();

        /** The key-distribution service's public base URL. */
        @WithDefault("http://127.0.0.1:8082")
        String keyDistributionUrl();

        /** The presence service's public base URL. */
        @WithDefault("http://127.0.0.1:8081")
        String presenceUrl();

        /**
         * The region the web app states in its media offers unless told otherwise: where the people
         * using this signaling deployment are, matched against the relays' region labels (cascading).
         * Unset: the app states none and participants go to the room's relay.
         */
        Optional<String> mediaRegion();
    }

    /** The media relays participants' media is negotiated with. */
    Media media();

    interface Media {

        /**
         * The base URL of the media relay's control API used while no relay registers itself in
         * Redis (local development, tests with a stand-in relay). Registered relays are placed by
         * their heartbeats instead ({@code RelayPlacement}).
         */
        String relayUrl();

        /**
         * {@code false}: every offer goes to {@code relay-url}, whatever relays register in Redis
         * (one fixed relay, or tests with a stand-in relay that share a Redis with real relays).
         */
        @WithDefault("true")
        boolean placement();

        /** How long an offer may wait for the relay's answer before {@code media-unavailable}. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * Signaling's region: new rooms go to a relay of this region when one can take them, and
         * elsewhere only when none can. Unset: every region is alike.
         */
        Optional<String> region();

        /**
         * How long a room stays on its relay after its last offer ({@code parley:room-relay:<roomId>}):
         * longer than any pause between two offers of a live call, short enough that ended rooms'
         * keys go away.
         */
        @WithDefault("24h")
        Duration roomRelayTtl();

        /**
         * How long a read of the relay directory is reused, so a storm of offers reads every relay's
         * heartbeat once per period, not once per offer.
         */
        @WithDefault("1s")
        Duration directoryCache();

        /**
         * A relay whose last heartbeat is older than this counts as lost: no new rooms go to it and
         * the rooms it carries move to another relay ({@code docs/architecture.md}, "Relay
         * failover"). Measured by Redis' own clock (the heartbeat's remaining expiry), so clock skew
         * between hosts does not matter. A few heartbeat intervals: one late beat is no loss.
         */
        @WithDefault("2500ms")
        Duration relayStaleness();

        /**
         * A relay whose last beat is older than this (but not yet stale) is suspect: the watch
         * tries to connect to its control port ({@code relay-probe-timeout}), and a refused or
         * timed-out connection means lost at once. A process that died refuses at once, so its
         * calls move about a second sooner than by staleness; a relay that is alive but slow to
         * beat answers the probe and keeps its calls.
         */
        @WithDefault("1500ms")
        Duration relaySuspectAfter();

        /** How long a probe of a suspect relay may take to connect before the relay counts as lost. */
        @WithDefault("250ms")
        Duration relayProbeTimeout();

        /**
         * How often each replica checks the relays of the rooms its members are in: a lost relay is
         * noticed within {@code relay-staleness} plus this.
         */
        @WithDefault("500ms")
        Duration relayWatchInterval();

        /**
         * How long a room may stay on a draining relay before signaling moves it to another one
         * ({@code media-restart} {@code relay-draining}). 0: at once, so the drain completes as soon
         * as the clients have moved; longer lets short calls end where they are.
         */
        @WithDefault("0s")
        Duration drainGrace();

        /**
         * Cascading ({@code docs/architecture.md}, "Media negotiation"): {@code true} places each
         * participant on a relay of the room in its region, or on another relay that joins the room
         * when the room's relays are elsewhere or too loaded; {@code false}: everyone on the room's relay.
         */
        @WithDefault("true")
        boolean cascade();

        /**
         * A relay whose stress (0..1) is at least this takes no new participants of a room while
         * another relay can take them: the room spreads to a relay with room to spare.
         */
        @WithDefault("0.8")
        double cascadeStress();
    }

    interface Calls {

        /** How long a new connection may take to send {@code hello} before it is closed. */
        @WithDefault("10s")
        Duration helloTimeout();

        /**
         * The largest message answered with anything but a {@code too-large} error: room for a
         * 64 KiB payload in base64 and a full {@code to} list.
         */
        @WithDefault("131072")
        int maxMessageBytes();

        /** Sustained messages per second one connection may send. */
        @WithDefault("20")
        int messagesPerSecond();

        /** Messages one connection may send at once above the sustained rate. */
        @WithDefault("40")
        int burst();

        /** Rate-limited messages after which a connection counts as abusive and is closed. */
        @WithDefault("100")
        int abuseThreshold();

        /**
         * How long a participant whose connection dropped keeps their place: back within it (with
         * {@code resume}), the others see nothing; after it they see the participant leave.
         */
        @WithDefault("30s")
        Duration resumeGrace();

        /**
         * How long a replica may miss its heartbeat in Redis before the others count it as dead
         * and start the grace period of its participants. It beats three times per period.
         */
        @WithDefault("3s")
        Duration replicaTimeout();
    }

    /** Guests: people without an account who join one room through an invite link. */
    GuestTokenSettings guests();

    interface Invites {

        /** How long a new invite link stays valid when its creator does not say. */
        @WithDefault("24h")
        Duration defaultLifetime();

        /** The longest a link may stay valid. */
        @WithDefault("30d")
        Duration maxLifetime();

        /** How many redemptions one client address may attempt per minute (callers may be anonymous). */
        @WithDefault("30")
        int redemptionsPerMinute();
    }

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
