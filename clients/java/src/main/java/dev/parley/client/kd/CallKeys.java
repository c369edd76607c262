package dev.parley.client.kd;

import dev.parley.client.mls.CredentialChain;
import dev.parley.client.mls.CredentialVerifier;
import dev.parley.client.mls.DeviceKeys;
import dev.parley.client.mls.ExternalSenderKey;
import dev.parley.client.mls.GroupId;
import dev.parley.client.mls.KeyPackageBundle;
import dev.parley.client.mls.LeafIndex;
import dev.parley.client.mls.MlsException;
import dev.parley.client.mls.MlsMember;
import dev.parley.client.mls.PendingCommit;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One device's membership of one call's MLS group, run against the key-distribution service:
 * it publishes KeyPackages, joins (creating the group if it is first, else waiting for its
 * Welcome), follows the group's messages in order, and commits the proposals the service sends
 * as the call changes.
 *
 * <p>Who commits: the member at the lowest leaf right away, every other member after a delay
 * that grows with its rank, so that usually exactly one Commit is made per change and a crashed
 * or departing lowest member holds nothing up. Two Commits for one epoch are harmless: the
 * service accepts the first, the other gets {@code stale-epoch} and is discarded.
 */
public final class CallKeys implements AutoCloseable {

    /** How long each rank waits before committing proposals the lower ranks left alone. */
    private static final Duration RANK_DELAY = Duration.ofMillis(150);
    /** How long a Commit whose verdict was lost may take to show up on the stream before trying again. */
    private static final Duration FATE_UNKNOWN_RETRY = Duration.ofSeconds(1);

    private final KeyDistributionClient kd;
    private final DeviceKeys keys;
    private final String deviceId;
    private final String roomId;
    private final CredentialChain credential;
    private final CredentialVerifier verifier;
    private final ExternalSenderKey service;
    private final List<KeyPackageBundle> bundles = new ArrayList<>();
    /** Messages that arrived before this device had the group (it creates it when the service says so). */
    private final List<Wire.GroupMessage> early = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private volatile KeyDistributionClient.Subscription subscription;
    /** The group and index of the last message received: where a broken stream resumes, and how gaps show. */
    private String cursorGroup;
    private long cursor = -1;
    private boolean stopped;
    private MlsMember member;
    private boolean closed;
    private long commitsAccepted;
    private long commitsStale;
    private RuntimeException failure;

    private CallKeys(KeyDistributionClient kd, DeviceKeys keys, Wire.Device device, String roomId) {
        this.kd = kd;
        this.keys = keys;
        this.deviceId = device.deviceId();
        this.roomId = roomId;
        this.credential = device.credential();
        Wire.Authority authority = kd.authority();
        this.verifier = new CredentialVerifier(KeyDistributionClient.decode(authority.caCertificate()));
        List<String> serviceChain = authority.externalSender().certificates();
        this.service = new ExternalSenderKey(KeyDistributionClient.decode(authority.externalSender().signatureKey()),
                CredentialChain.of(KeyDistributionClient.decode(serviceChain.get(0)), KeyDistributionClient.decode(serviceChain.get(1))));
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "call-keys-" + deviceId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Publishes {@code keyPackages} KeyPackages of the registered {@code device}, follows the
     * room's group and asks to join it as {@code participantId} (who must be in the call).
     */
    public static CallKeys join(KeyDistributionClient kd, DeviceKeys keys, Wire.Device device, String roomId,
                                String participantId, int keyPackages) {
        CallKeys call = new CallKeys(kd, keys, device, roomId);
        call.publish(keyPackages);
        call.subscription = kd.follow(roomId, null, -1, call::receive, call::resume);
        Wire.JoinAnswer answer = kd.join(roomId, participantId, device.deviceId());
        if ("create".equals(answer.outcome())) {
            call.create(answer.groupId());
        }
        if (answer.keyPackages().low()) {
            call.publish(keyPackages); // The service says the supply runs low: top it up.
        }
        return call;
    }

    /** Publishes more KeyPackages, e.g. when the service says the supply runs low. */
    public synchronized Wire.Supply publish(int count) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            KeyPackageBundle bundle = keys.newKeyPackage(credential);
            bundles.add(bundle);
            messages.add(bundle.message());
        }
        return kd.upload(deviceId, messages, Optional.empty());
    }

    private synchronized void create(String groupId) {
        try {
            member = MlsMember.create(new GroupId(KeyDistributionClient.decode(groupId)), keys, credential, service, verifier);
        } catch (MlsException e) {
            throw new IllegalStateException("cannot create the call's group", e);
        }
        List<Wire.GroupMessage> backlog = List.copyOf(early);
        early.clear();
        backlog.forEach(this::receive);
        notifyAll();
    }

    /** The stream broke (its replica went away): follow again from the last message, on another replica if need be. */
    private void resume() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        try {
            String group;
            long after;
            synchronized (this) {
                group = cursorGroup;
                after = cursor;
            }
            subscription = kd.follow(roomId, group, after, this::receive, this::resume);
        } catch (RuntimeException e) {
            timer.schedule(this::resume, RANK_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void receive(Wire.GroupMessage message) {
        if (message.groupId().equals(cursorGroup)) {
            if (message.index() <= cursor) {
                return; // Already had it (a resumed stream starts where the old one ended).
            }
            if (message.index() != cursor + 1) {
                failure = new IllegalStateException(deviceId + " missed messages " + (cursor + 1) + " to " + (message.index() - 1));
            }
        }
        cursorGroup = message.groupId();
        cursor = message.index();
        try {
            if ("closed".equals(message.kind())) {
                closed = true;
            } else if (member == null) {
                if ("welcome".equals(message.kind())) {
                    member = MlsMember.join(KeyDistributionClient.decode(message.message()), bundles, keys, service, verifier)
                            .orElse(null);
                    if (member != null) {
                        early.clear();
                    }
                } else {
                    early.add(message);
                }
            } else if (!member.isRemoved() && !"welcome".equals(message.kind())
                    && message.groupId().equals(KeyDistributionClient.encode(member.groupId().value()))) {
                member.handle(KeyDistributionClient.decode(message.message()));
                considerCommitting();
            }
        } catch (MlsException | RuntimeException e) {
            failure = new IllegalStateException(deviceId + " could not handle message " + message.index()
                    + " (" + message.kind() + ", epoch " + message.epoch() + ") at epoch " + epoch(), e);
        } finally {
            notifyAll();
        }
    }

    private void considerCommitting() {
        if (member == null || member.isRemoved() || !member.hasQueuedProposals()) {
            return;
        }
        int rank = new ArrayList<>(member.members().keySet()).indexOf(member.leafIndex());
        if (rank == 0) {
            commitQueued();
        } else {
            long epoch = member.epoch();
            timer.schedule(() -> {
                synchronized (this) {
                    if (member.epoch() == epoch && !member.isRemoved() && member.hasQueuedProposals()) {
                        commitQueued();
                    }
                }
            }, RANK_DELAY.toMillis() * rank, TimeUnit.MILLISECONDS);
        }
    }

    /** Commits everything queued; the service's verdict decides whether this member moves on. */
    private void commitQueued() {
        PendingCommit commit;
        try {
            commit = member.commit(List.of(), List.of());
        } catch (MlsException e) {
            failure = new IllegalStateException("cannot commit", e);
            return;
        }
        try {
            kd.submit(roomId, deviceId, commit.commitMessage(), commit.welcomeMessage());
            member.confirm(commit);
            commitsAccepted++;
        } catch (UncheckedIOException e) {
            fateUnknown();
        } catch (KeyDistributionException e) {
            if (e.status() >= 500) {
                fateUnknown();
            } else {
                member.discard(commit);
                if (e.status() == 409) {
                    commitsStale++; // Another Commit won; it arrives on the stream and this one is dropped.
                } else {
                    failure = e;
                }
            }
        }
        notifyAll();
    }

    /**
     * The service may have logged the Commit although no verdict came back (its replica died, or
     * it answered 5xx). The Commit stays outstanding: if the stream brings it back, the member
     * recognises it as its own. If the epoch has not moved after a while, the member commits again.
     */
    private void fateUnknown() {
        long epoch = member.epoch();
        timer.schedule(() -> {
            synchronized (this) {
                if (member.epoch() == epoch && !member.isRemoved() && member.hasQueuedProposals()) {
                    commitQueued();
                }
            }
        }, FATE_UNKNOWN_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes a Commit now, with whatever is queued, without submitting it (for tests of concurrent commits). */
    public synchronized PendingCommit prepareCommit() throws MlsException {
        return member.commit(List.of(), List.of());
    }

    /**
     * Submits a Commit made by {@link #prepareCommit()}: on acceptance the member moves to the new
     * epoch; on refusal (another Commit won) it is discarded and the exception is rethrown.
     */
    public synchronized Wire.Verdict submit(PendingCommit commit) {
        try {
            Wire.Verdict verdict = kd.submit(roomId, deviceId, commit.commitMessage(), commit.welcomeMessage());
            member.confirm(commit);
            return verdict;
        } catch (KeyDistributionException e) {
            if (e.status() < 500) {
                member.discard(commit); // Refused for good; a 5xx may still have been logged.
            }
            throw e;
        } finally {
            notifyAll();
        }
    }

    public synchronized MlsMember member() {
        return member;
    }

    public synchronized boolean joined() {
        return member != null;
    }

    public synchronized long epoch() {
        return member == null ? -1 : member.epoch();
    }

    public synchronized boolean removed() {
        return member != null && member.isRemoved();
    }

    public synchronized boolean groupClosed() {
        return closed;
    }

    public synchronized long commitsAccepted() {
        return commitsAccepted;
    }

    public synchronized long commitsStale() {
        return commitsStale;
    }

    public synchronized List<LeafIndex> leaves() {
        return member == null ? List.of() : List.copyOf(member.members().keySet());
    }

    /** The current epoch's MLS exporter secret under {@code label} (RFC 9420 §8.5). */
    public synchronized byte[] exporter(String label, int length) {
        return member.exporter(label, new byte[0], length);
    }

    /** Waits until {@code condition} holds (evaluated under this object's lock), or fails with what went wrong. */
    public synchronized void await(BooleanSupplier condition, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (failure != null) {
                throw failure;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("condition not reached within " + timeout + " (epoch " + epoch() + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
        }
        if (subscription != null) {
            subscription.close();
        }
        timer.shutdownNow();
    }
}
