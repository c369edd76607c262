package dev.parley.presence.live;

import dev.parley.events.identity.UserId;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The presence sockets on this replica, indexed two ways: by the users they follow (for presence
 * updates) and by their own user (for rings).
 */
@ApplicationScoped
public class Listeners {

    private final Map<UserId, Set<Listener>> followers = new ConcurrentHashMap<>();
    private final Map<UserId, Set<Listener>> devices = new ConcurrentHashMap<>();

    void joined(Listener listener) {
        devices.computeIfAbsent(listener.user(), ignored -> ConcurrentHashMap.newKeySet()).add(listener);
    }

    void left(Listener listener) {
        if (listener.user() != null) {
            remove(devices, listener.user(), listener);
        }
        listener.following().forEach(user -> remove(followers, user, listener));
    }

    void follow(Listener listener, UserId user) {
        listener.follow(user);
        followers.computeIfAbsent(user, ignored -> ConcurrentHashMap.newKeySet()).add(listener);
    }

    void unfollow(Listener listener, UserId user) {
        listener.unfollow(user);
        remove(followers, user, listener);
    }

    Set<Listener> following(UserId user) {
        return followers.getOrDefault(user, Set.of());
    }

    /** The user's own open sockets on this replica: their devices that can ring. */
    public Set<Listener> devicesOf(UserId user) {
        return devices.getOrDefault(user, Set.of());
    }

    private static void remove(Map<UserId, Set<Listener>> index, UserId user, Listener listener) {
        index.computeIfPresent(user, (ignored, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }
}
