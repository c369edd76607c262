package dev.parley.keydistribution.group;

import dev.parley.events.Topic;
import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.KeyDistributionConfig;
import dev.parley.keydistribution.identity.CertificateAuthority;
import dev.parley.keydistribution.mls.ExternalProposals;
import dev.parley.runtime.kafka.EventLog;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.runtime.kafka.RedisPositions;
import dev.parley.runtime.kafka.TopicTail;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ordered, durable intake of every call group, and its application.
 *
 * <p>A request becomes a {@link GroupRecord} appended to {@link Topic#GROUPS} (acks=all,
 * idempotent producer): once the broker has it, it survives any replica's death. Every replica
 * follows every partition of the log from where it was applied up to, and applies each record
 * with {@link GroupMachine} to the state in {@link GroupStore}. The submitter waits until its own
 * record has been applied and answers with its {@link Verdict}. So the log's order decides, for
 * all replicas alike, which of two concurrent Commits for one epoch is accepted: the first in the
 * log; the second meets a later epoch and is refused as stale (RFC 9420 §14).
 */
@ApplicationScoped
public class GroupLog {

    private final EventLog log;
    private final GroupStore store;
    private final GroupMachine machine;
    private final GroupStreams streams;
    private final Duration verdictTimeout;
    private final AppliedOffsets applied = new AppliedOffsets();
    private final TopicTail<GroupRecord> tail;
    private final Timer applying;
    private final MeterRegistry metrics;

    GroupLog(EventLog log, GroupStore store, GroupStreams streams, CertificateAuthority authority, RedisDataSource redis,
             KeyDistributionConfig config, MeterRegistry metrics,
             @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.log = log;
        this.store = store;
        this.streams = streams;
        this.machine = new GroupMachine(new ExternalProposals(authority.externalSenderPrivateKey()));
        this.verdictTimeout = config.groups().verdictTimeout();
        this.metrics = metrics;
        this.applying = Timer.builder("parley.kd.group.records.applied")
                .description("Group log records applied by this replica").register(metrics);
        this.tail = new TopicTail<>(bootstrapServers, "key-distribution-groups", Topic.GROUPS, new GroupRecordDeserializer(),
                this::apply, new RedisPositions(redis, GroupStore.POSITIONS));
    }

    void start(@Observes StartupEvent started) {
        tail.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        tail.close();
    }

    /** Appends {@code record}, waits until it is applied, and returns what it came to. */
    public Verdict submit(GroupRecord record) {
        LogPosition at = log.append(Topic.GROUPS, record.roomId().value(), record);
        CompletableFuture<Void> done = applied.when(at.partition(), at.offset());
        try {
            done.get(verdictTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            applied.forget(at.partition(), done);
            throw new ProblemException(Problem.of("verdict-timeout", "Not applied in time", Response.Status.SERVICE_UNAVAILABLE,
                    "The request was logged but not applied within " + verdictTimeout.toMillis()
                            + " ms; read the group's messages to see its outcome."));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a verdict", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        Verdict verdict;
        try {
            verdict = store.verdict(record.roomId(), at.offset()).orElseThrow(() -> new IllegalStateException(
                    "record " + at + " was applied without a verdict"));
        } catch (RuntimeException e) {
            // Applied, but its verdict cannot be read: say so, rather than a bare 500 the client
            // would take for a refusal.
            throw new ProblemException(Problem.of("verdict-unavailable", "Outcome unknown", Response.Status.SERVICE_UNAVAILABLE,
                    "The request was logged and applied, but its outcome could not be read; read the group's messages."));
        }
        metrics.counter("parley.kd.verdicts", "outcome", verdict.outcome()).increment();
        return verdict;
    }

    private void apply(GroupRecord record, int partition, long offset) {
        RoomId room = record.roomId();
        applying.record(() -> {
            while (true) {
                Optional<GroupStore.Stored> stored = store.load(room);
                if (stored.isPresent() && stored.get().offset() >= offset) {
                    return; // Another replica applied it (or a later record of this room).
                }
                GroupMachine.Transition transition = machine.apply(stored.map(GroupStore.Stored::state).orElse(null), record);
                if (store.save(room, stored, offset, transition)) {
                    return;
                }
            }
        });
        applied.applied(partition, offset);
        streams.changed(room);
    }

    /** Whether this replica follows the log: it cannot answer submissions until it does. */
    public boolean following() {
        return tail.following();
    }
}
