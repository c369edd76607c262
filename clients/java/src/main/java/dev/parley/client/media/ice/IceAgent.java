package dev.parley.client.media.ice;

import dev.parley.client.media.transport.DatagramHandler;
import dev.parley.client.media.transport.UdpPort;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The controlling ICE agent of a client facing an ICE-lite relay (RFC 8445 §2.5, §6.1.3.1): one
 * candidate pair (the client's port and the relay's one host candidate), checked and nominated at
 * once with USE-CANDIDATE (§8.1.1), then kept alive by consent freshness checks every 4–6 s
 * (RFC 7675 §5.1). Responses count only with a matching transaction id and a MESSAGE-INTEGRITY
 * that verifies with the relay's password (RFC 8445 §7.2.5.2, RFC 8489 §9.1.3).
 */
public final class IceAgent implements DatagramHandler {

    /** Retransmission interval of an unanswered check on loopback (RFC 8489 §6.2.1 allows tuning the RTO). */
    private static final long RETRANSMIT_MILLIS = 200;
    /** Consent is lost after this long without a response (RFC 7675 §5.1). */
    private static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);

    private final UdpPort port;
    private final IceCredentials local;
    private final IceCredentials remote;
    private final SecureRandom random;
    private final long tieBreaker;
    private final Map<TransactionKey, CompletableFuture<BindingResponse>> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastConsentNanos = new AtomicLong();
    private final AtomicLong checksSent = new AtomicLong();
    private volatile ScheduledFuture<?> consent;

    public IceAgent(UdpPort port, IceCredentials local, IceCredentials remote, SecureRandom random) {
        this.port = port;
        this.local = local;
        this.remote = remote;
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    /**
     * Checks and nominates the pair: sends a Binding request with USE-CANDIDATE, again every
     * {@value #RETRANSMIT_MILLIS} ms, until an authenticated success arrives; returns the
     * client's address as the relay saw it (XOR-MAPPED-ADDRESS).
     */
    public InetSocketAddress connect(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        BindingResponse response = transact(true, timeout);
        if (!response.isSuccess()) {
            throw new IOException("the relay answered the connectivity check with an error");
        }
        lastConsentNanos.set(System.nanoTime());
        return response.mappedAddress().orElseThrow(() -> new IOException("no XOR-MAPPED-ADDRESS in the success"));
    }

    /** Starts consent freshness: a check at a random interval of 4–6 s (RFC 7675 §5.1) on {@code timer}. */
    public void keepConsent(ScheduledExecutorService timer) {
        scheduleConsent(timer);
    }

    private void scheduleConsent(ScheduledExecutorService timer) {
        long delay = 4000 + random.nextInt(2001);
        consent = timer.schedule(() -> {
            try {
                BindingResponse response = transact(false, Duration.ofSeconds(5));
                if (response.isSuccess()) {
                    lastConsentNanos.set(System.nanoTime());
                }
            } catch (IOException | TimeoutException e) {
                // an unanswered check: consent expires only when none is answered for 30 s
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!timer.isShutdown()) {
                scheduleConsent(timer);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether a check was answered within the last 30 s (RFC 7675 §5.1). */
    public boolean consentFresh() {
        long last = lastConsentNanos.get();
        return last != 0 && System.nanoTime() - last < CONSENT_TIMEOUT.toNanos();
    }

    /** Binding requests sent, retransmissions included. */
    public long checksSent() {
        return checksSent.get();
    }

    /** Stops consent checks; the relay then closes the session after its consent timeout. */
    public void stop() {
        ScheduledFuture<?> task = consent;
        if (task != null) {
            task.cancel(false);
        }
    }

    private BindingResponse transact(boolean nominate, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        byte[] id = new byte[12];
        random.nextBytes(id);
        BindingRequest request = BindingRequest.encode(id, remote.ufrag() + ":" + local.ufrag(), remote.password(),
                BindingRequest.PEER_REFLEXIVE_PRIORITY, tieBreaker, nominate);
        TransactionKey key = new TransactionKey(id);
        CompletableFuture<BindingResponse> answered = new CompletableFuture<>();
        pending.put(key, answered);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                port.send(request.bytes(), 0, request.bytes().length);
                checksSent.incrementAndGet();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no authenticated answer to an ICE check within " + timeout);
                }
                try {
                    return answered.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(RETRANSMIT_MILLIS)),
                            TimeUnit.NANOSECONDS);
                } catch (TimeoutException retransmit) {
                    // no answer yet: send the same request again (RFC 8489 §6.2.1)
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a response future never fails", e);
                }
            }
        } finally {
            pending.remove(key);
        }
    }

    /** A STUN datagram from the relay's address: completes its transaction if it is authentic. */
    @Override
    public void handle(byte[] datagram, int length) {
        BindingResponse.decode(datagram, length).ifPresent(response -> {
            CompletableFuture<BindingResponse> waiting = pending.get(new TransactionKey(response.transactionId()));
            if (waiting != null && response.integrityValid(remote.password())) {
                waiting.complete(response);
            }
        });
    }

    /** A transaction id as a map key. */
    private record TransactionKey(String hex) {
        TransactionKey(byte[] id) {
            this(HexFormat.of().formatHex(id));
        }
    }
}
