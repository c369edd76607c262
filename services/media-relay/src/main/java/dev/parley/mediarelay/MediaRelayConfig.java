package dev.parley.mediarelay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The relay's own settings; each key can be overridden by an environment variable named after it,
 * for example {@code PARLEY_MEDIA_RELAY_MEDIA_PORT}.
 */
@ConfigMapping(prefix = "parley.media-relay")
public interface MediaRelayConfig {

    /**
     * The one UDP port all media of all participants arrives on; the relay tells flows apart by
     * ICE username and remote address, as LiveKit and Jitsi do, so firewalls open one port.
     */
    @WithDefault("10000")
    int mediaPort();

    /** The local address the media port binds to. */
    @WithDefault("0.0.0.0")
    String mediaBindAddress();

    /**
     * The IP address participants reach the media port on, announced as the relay's host candidate
     * (RFC 8445 §5.1.1.1). Behind NAT or in Kubernetes with host networking, the node's public address.
     */
    @WithDefault("127.0.0.1")
    String candidateAddress();

    /**
     * The media socket's kernel receive and send buffers. A burst from many publishers at once
     * must fit while the receive thread catches up; the kernel caps it at
     * {@code net.core.rmem_max}/{@code wmem_max}, which a node may need raised.
     */
    @WithDefault("4194304")
    int socketBufferBytes();

    /** Datagrams larger than this are dropped unread; 1500 bytes covers any Ethernet-sized packet. */
    @WithDefault("1500")
    int maxPacketSize();

    /** How many sessions (participant transports) this relay holds at once; more are refused. */
    @WithDefault("1000")
    int maxSessions();

    /**
     * How long a session lives without an authenticated ICE check. Browsers refresh consent every
     * few seconds and give up after 30 s without it (RFC 7675 §5.1); a session that never completes
     * ICE, or whose participant vanished, is closed after this long.
     */
    @WithDefault("30s")
    Duration consentTimeout();

    /**
     * The Keycloak client whose service account (client-credentials tokens) may negotiate
     * participants' sessions: signaling's.
     */
    @WithDefault("parley-services")
    String controlClient();

    /**
     * How long {@code GET /q/drain} waits for the last participant's session to close before it
     * answers anyway; the chart's termination grace period should be a little longer.
     */
    @WithDefault("1h")
    Duration drainTimeout();

    /**
     * How long a room's sessions stay after signaling moved the room off this relay
     * ({@code media-restart}, docs/media-relay.md §8a): its participants' new connections to the
     * other relay start while these still carry media (make-before-break), and each participant
     * closes its old connection itself once the new one shows video (its DTLS {@code close_notify},
     * RFC 5246 §7.2.1), which closes the session here at once. Whatever is still open after this
     * long closes anyway, so a drain, or a relay only thought lost, holds a moved call no longer.
     * The web app switches after at most 4 s, so keep this above that.
     */
    @WithDefault("6s")
    Duration moveGrace();

    /** A label for where this relay runs; placement prefers relays in the participant's region. */
    @WithDefault("local")
    String region();

    /**
     * The name this relay registers under for placement ({@code parley:relay:<id>} in Redis); in
     * Kubernetes the pod name. Unset: {@code relay-} and ten random letters, new each start.
     */
    Optional<String> relayId();

    /**
     * The control API's base URL as signaling reaches it, published for placement, e.g.
     * {@code http://10.0.0.5:8083}. Unset: {@code http://127.0.0.1:<the HTTP port it listens on>},
     * right only where signaling runs on the same host.
     */
    Optional<String> controlUrl();

    /**
     * How often the relay publishes its load for placement; its entry expires after five missed
     * beats. Signaling counts a relay as lost, and moves its calls, once its last beat is older than
     * its {@code relay-staleness} (2.5 s: between two and three missed beats), so this interval
     * bounds how fast a dead relay's calls recover ({@code docs/operations.md}, "Relay failover").
     */
    @WithDefault("1s")
    Duration heartbeatInterval();

    /**
     * The datagrams per second this relay is sized to receive; with sessions and CPU it makes up the
     * stress figure signaling places rooms by (1 = full).
     */
    @WithDefault("200000")
    long maxPacketsPerSecond();

    /**
     * <b>Test only.</b> Artificial packet loss on the media port, for tests of loss recovery where no
     * network emulator is at hand. Off unless configured; never set it in production.
     */
    Impairment impairment();

    /**
     * <b>Test only.</b> Random loss of SRTP and SRTCP datagrams, and a fixed delay of those sent;
     * STUN and DTLS are never touched.
     */
    interface Impairment {

        /** The share (0 to 1) of SRTP/SRTCP datagrams dropped as they arrive, before any processing. */
        @WithDefault("0")
        double receiveLoss();

        /** The share (0 to 1) of SRTP/SRTCP datagrams dropped instead of sent. */
        @WithDefault("0")
        double sendLoss();

        /** How long each SRTP/SRTCP datagram not dropped waits before it is sent, in order (0: not at all). */
        @WithDefault("0s")
        Duration sendDelay();
    }
}
