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
 * A client's ICE agent on one candidate pair (the client's port and the SFU's one host
 * candidate). Facing an ICE-lite relay it is the controlling agent (RFC 8445 §2.5, §6.1.3.1) and
 * nominates the pair at once with USE-CANDIDATE (§8.1.1). Facing a full agent (Janus) its role
 * follows the offer (§6.1.1): controlling as the offerer, as above; controlled as the answerer,
 * when it checks the pair without nominating and waits for the peer's check with USE-CANDIDATE
 * (§7.3.1.5). In both roles it answers the peer's authenticated checks (§7.3.1.4, {@link
 * IncomingCheck}). Then consent freshness checks every 4–6 s (RFC 7675 §5.1). Responses count only
 * with a matching transaction id and a MESSAGE-INTEGRITY that verifies with the peer's password
 * (RFC 8445 §7.2.5.2, RFC 8489 §9.1.3).
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
    private final IceRole role;
    private final long tieBreaker;
    private final CompletableFuture<Void> nominatedByPeer = new CompletableFuture<>();
    private final AtomicLong checksAnswered = new AtomicLong();
    private final AtomicLong roleConflicts = new AtomicLong();
    private final Map<TransactionKey, CompletableFuture<BindingResponse>> pending = new ConcurrentHashMap<>();
    private final AtomicLong lastConsentNanos = new AtomicLong();
    private final AtomicLong checksSent = new AtomicLong();
    private volatile ScheduledFuture<?> consent;
    private volatile boolean stopped;

    /** The controlling agent facing an ICE-lite relay. */
    public IceAgent(UdpPort port, IceCredentials local, IceCredentials remote, SecureRandom random) {
        this(port, local, remote, IceRole.CONTROLLING, random);
    }

    /** An agent in {@code role} facing a full agent. */
    public IceAgent(UdpPort port, IceCredentials local, IceCredentials remote, IceRole role, SecureRandom random) {
        this.port = port;
        this.local = local;
        this.remote = remote;
        this.role = role;
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    /**
     * Checks the pair: sends a Binding request (controlling: with USE-CANDIDATE), again every
     * {@value #RETRANSMIT_MILLIS} ms, until an authenticated success arrives; a controlled agent
     * then also waits until the peer has nominated the pair. Returns the client's address as the
     * peer saw it (XOR-MAPPED-ADDRESS).
     */
    public InetSocketAddress connect(Duration timeout) throws IOException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BindingResponse response = transact(role == IceRole.CONTROLLING, timeout);
        if (!response.isSuccess()) {
            throw new IOException("the peer answered the connectivity check with an error");
        }
        lastConsentNanos.set(System.nanoTime());
        if (role == IceRole.CONTROLLED) {
            try {
                nominatedByPeer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the nomination future never fails", e);
            } catch (TimeoutException e) {
                throw new TimeoutException("the controlling peer did not nominate the pair within " + timeout);
            }
        }
        return response.mappedAddress().orElseThrow(() -> new IOException("no XOR-MAPPED-ADDRESS in the success"));
    }

    /** The peer's checks this agent answered with a success. */
    public long checksAnswered() {
        return checksAnswered.get();
    }

    /**
     * Checks whose sender claimed our own role. Roles follow the offer, so a conforming peer never
     * does; such a check is still answered, and counted here instead of repaired (RFC 8445 §7.3.1.1).
     */
    public long roleConflicts() {
        return roleConflicts.get();
    }

    /** Starts consent freshness: a check at a random interval of 4–6 s (RFC 7675 §5.1) on {@code timer}. */
    public void keepConsent(ScheduledExecutorService timer) {
        scheduleConsent(timer);
    }

    /**
     * One consent check 4–6 s from now, then the next. The check never blocks the timer, which
     * also runs every client's media sources: retransmissions are scheduled on it, and the
     * answer (or 5 s without one) completes the check on whichever thread sees it.
     */
    private void scheduleConsent(ScheduledExecutorService timer) {
        long delay = 4000 + random.nextInt(2001);
        consent = timer.schedule(() -> consentCheck(timer), delay, TimeUnit.MILLISECONDS);
    }

    private void consentCheck(ScheduledExecutorService timer) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        BindingRequest request = BindingRequest.encode(id, remote.ufrag() + ":" + local.ufrag(), remote.password(),
                BindingRequest.PEER_REFLEXIVE_PRIORITY, role, tieBreaker, false);
        TransactionKey key = new TransactionKey(id);
        CompletableFuture<BindingResponse> answered = new CompletableFuture<>();
        pending.put(key, answered);
        Runnable send = () -> {
            try {
                port.send(request.bytes(), 0, request.bytes().length);
                checksSent.incrementAndGet();
            } catch (IOException e) {
                // retransmitted, or the check times out: consent expires only after 30 s without an answer
            }
        };
        send.run();
        ScheduledFuture<?> retransmit = timer.scheduleAtFixedRate(send, RETRANSMIT_MILLIS, RETRANSMIT_MILLIS,
                TimeUnit.MILLISECONDS);
        answered.orTimeout(5, TimeUnit.SECONDS).whenComplete((response, timeout) -> {
            retransmit.cancel(false);
            pending.remove(key);
            if (response != null && response.isSuccess()) {
                lastConsentNanos.set(System.nanoTime());
            }
            if (!timer.isShutdown() && !stopped) {
                scheduleConsent(timer);
            }
        });
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
        stopped = true;
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
                BindingRequest.PEER_REFLEXIVE_PRIORITY, role, tieBreaker, nominate);
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

    /**
     * A STUN datagram from the peer's address: an authentic check is answered (and a nomination
     * noted); an authentic response completes its transaction; anything else is ignored.
     */
    @Override
    public void handle(byte[] datagram, int length) {
        if (IncomingCheck.isRequest(datagram, length)) {
            IncomingCheck.decode(datagram, length, local, remote).ifPresent(this::answer);
            return;
        }
        BindingResponse.decode(datagram, length).ifPresent(response -> {
            CompletableFuture<BindingResponse> waiting = pending.get(new TransactionKey(response.transactionId()));
            if (waiting != null && response.integrityValid(remote.password())) {
                waiting.complete(response);
            }
        });
    }

    private void answer(IncomingCheck check) {
        if (check.senderRole().filter(r -> r == role).isPresent()) {
            roleConflicts.incrementAndGet();
        }
        byte[] success = check.success(port.remoteAddress(), local.password());
        // counted before it leaves: the peer may act on the answer before this thread runs on
        checksAnswered.incrementAndGet();
        try {
            port.send(success, 0, success.length);
        } catch (IOException e) {
            checksAnswered.decrementAndGet();
            return; // the peer retransmits its check (RFC 8489 §6.2.1)
        }
        if (check.useCandidate() && role == IceRole.CONTROLLED) {
            nominatedByPeer.complete(null);
        }
    }

    /** A transaction id as a map key. */
    private record TransactionKey(String hex) {
        TransactionKey(byte[] id) {
            this(HexFormat.of().formatHex(id));
        }
    }
}
