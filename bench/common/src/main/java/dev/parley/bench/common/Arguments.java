package dev.parley.bench.common;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A bench's command line, all {@code --key=value}. It remembers which keys were read, so an
 * option no bench knows (a typo) fails the run instead of being silently ignored.
 */
public final class Arguments {

    private final Map<String, String> given = new HashMap<>();
    private final Set<String> unread;

    public Arguments(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --key=value; got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        unread = new HashSet<>(given.keySet());
    }

    public String text(String key, String fallback) {
        unread.remove(key);
        return given.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback) {
        return Integer.parseInt(text(key, Integer.toString(fallback)));
    }

    /** Call once every option is read: fails naming the keys nothing asked for. */
    public void rejectUnknown() {
        if (!unread.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments: " + unread);
        }
    }
}
