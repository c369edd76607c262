package dev.parley.bench.signaling;

import dev.parley.bench.common.NotMeasured;
import dev.parley.bench.common.Replica;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Getting members into calls and out again: guest tokens, sockets, {@code join}, {@code leave}. */
final class Members {

    /** At most this many uses per invite link, so redemptions spread over several per-invite locks. */
    private static final int USES_PER_INVITE = 100;

    private Members() {
    }

    /**
     * Guest tokens for {@code guests} guests of {@code roomId}: alice (its host) creates invite links,
     * the guests redeem them spread over the replicas.
     */
    static List<String> guestTokens(RestApi api, List<Replica> replicas, String hostToken, String roomId, int guests,
                                    String namePrefix) throws IOException, InterruptedException {
        List<String> codes = new ArrayList<>();
        for (int first = 0; first < guests; first += USES_PER_INVITE) {
            codes.add(api.createGuestInvite(replicas.get(0).url(), hostToken, roomId,
                    Math.min(USES_PER_INVITE, guests - first)));
        }
        List<String> urls = replicas.stream().map(Replica::url).toList();
        return api.redeemMany(guests, i -> codes.get(i / USES_PER_INVITE), urls, namePrefix, 8);
    }

    static String joinMessage(String id, String roomId) {
        return "{\"type\":\"join\",\"id\":\"" + id + "\",\"roomId\":" + CallClient.quote(roomId) + "}";
    }

    /** The last answer to a {@code join}, and how many {@code join}s it took. */
    record JoinResult(Frame answer, int attempts) {
    }

    /**
     * Joins as a client should: {@code unavailable} means nothing changed and to retry, so this
     * retries after a short, growing, jittered pause (up to {@value #JOIN_ATTEMPTS} attempts).
     */
    static CompletableFuture<JoinResult> join(BenchSocket socket, String roomId) {
        return join(socket, roomId, 1);
    }

    private static final int JOIN_ATTEMPTS = 30;

    private static CompletableFuture<JoinResult> join(BenchSocket socket, String roomId, int attempt) {
        String id = "j" + attempt;
        return socket.request(id, joinMessage(id, roomId)).thenCompose(answer -> {
            if (answer.is("error") && "unavailable".equals(answer.code()) && attempt < JOIN_ATTEMPTS) {
                long pause = Math.min(500, 20L << Math.min(attempt - 1, 5));
                pause += ThreadLocalRandom.current().nextLong(pause / 2 + 1);
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                        .thenCompose(ignored -> join(socket, roomId, attempt + 1));
            }
            return CompletableFuture.completedFuture(new JoinResult(answer, attempt));
        });
    }

    /** Opens and authenticates every socket, or fails; returns them in index order. */
    static List<BenchSocket> connectAll(CallClient client, int count, java.util.function.IntFunction<BenchSocket> socketFor,
                                        java.util.function.IntFunction<String> tokenFor, int addresses)
            throws InterruptedException {
        CallClient.Opened opened = client.openMany(count, socketFor, tokenFor, addresses, 50, 1,
                Duration.ofSeconds(20), null);
        if (opened.sockets().size() < count) {
            CallClient.closeAll(opened.sockets());
            throw new IllegalStateException("only " + opened.sockets().size() + " of " + count
                    + " members connected: " + opened.firstFailures());
        }
        List<BenchSocket> sockets = new ArrayList<>(opened.sockets());
        sockets.sort(Comparator.comparingInt(s -> s.index));
        return sockets;
    }

    /** Every socket joins its room and waits for {@code joined}; fails unless all got in. */
    static void joinAll(List<BenchSocket> sockets, java.util.function.Function<BenchSocket, String> roomOf)
            throws InterruptedException {
        List<CompletableFuture<JoinResult>> answers = new ArrayList<>();
        for (BenchSocket s : sockets) {
            answers.add(join(s, roomOf.apply(s)).orTimeout(120, TimeUnit.SECONDS));
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < sockets.size(); i++) {
            String outcome;
            try {
                Frame frame = answers.get(i).get().answer();
                outcome = frame.outcome();
                if (frame.is("joined")) {
                    sockets.get(i).participantId = frame.participantId();
                }
            } catch (java.util.concurrent.ExecutionException e) {
                outcome = e.getCause() instanceof TimeoutException ? "no answer within 120 s" : "failed: " + e.getCause();
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        failUnlessAllJoined(outcomes, sockets.size());
    }

    static void failUnlessAllJoined(Map<String, ? extends Number> outcomes, int expected) {
        if (outcomes.containsKey("error unknown-type")) {
            throw new NotMeasured("the replicas answer join with unknown-type: join is not implemented in this build");
        }
        Number joined = outcomes.get("joined");
        if (joined == null || joined.intValue() != expected) {
            throw new IllegalStateException("not every member joined: " + outcomes);
        }
    }

    /** Sends {@code leave} on every open socket (waiting up to a minute for {@code left}), then closes them. */
    static void leaveAndClose(List<BenchSocket> sockets) throws InterruptedException {
        List<CompletableFuture<Frame>> left = new ArrayList<>();
        for (BenchSocket s : sockets) {
            if (s.isOpen() && s.participantId != null) {
                left.add(s.request("l", "{\"type\":\"leave\",\"id\":\"l\"}"));
            }
        }
        try {
            CompletableFuture.allOf(left.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            System.out.println("[bench] (not every leave was answered: " + e + ")");
        }
        CallClient.closeAll(sockets);
    }
}
