package dev.parley.client.mls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/**
 * Members on different threads of one JVM stay correct, although bcmls shares one signer and one
 * digest per cipher suite across the JVM (see {@link Suite}).
 */
class ConcurrencyTest {

    @Test
    void groupsOnFourThreadsAtOnceAllAgree() throws Exception {
        Parley parley = new Parley();
        List<Callable<Boolean>> work = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            int t = thread;
            work.add(() -> {
                for (int round = 0; round < 15; round++) {
                    Parley.Device alice = parley.device("alice-" + t, "d" + round);
                    Parley.Device bob = parley.device("bob-" + t, "d" + round);
                    MlsMember a = alice.create();
                    PendingCommit add = a.commit(List.of(bob.keyPackage().message()), List.of());
                    a.confirm(add);
                    MlsMember b = bob.join(add.welcomeMessage().orElseThrow());
                    PendingCommit update = b.commit(List.of(), List.of());
                    b.confirm(update);
                    a.handle(update.commitMessage());
                    if (!java.util.Arrays.equals(a.epochAuthenticator(), b.epochAuthenticator())) {
                        return false;
                    }
                }
                return true;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Boolean> done : pool.invokeAll(work)) {
                assertThat(done.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
