package dev.parley.bench.mediarelay;

import dev.parley.bench.common.Arguments;
import dev.parley.bench.common.RunOptions;
import dev.parley.client.media.VideoSettings;

import java.util.Arrays;
import java.util.List;

/**
 * What to measure and how hard, from {@code --key=value} arguments (see {@code bench/README.md}):
 * the options every bench takes, then the media relay bench's own.
 */
record BenchConfig(
        RunOptions run,
        String relayUrl,
        long relayPid,
        int mediaPort,
        String api,
        int publishers,
        int subscribers,
        List<Integer> roomSteps,
        int warmupSeconds,
        int measureSeconds,
        VideoSettings video,
        double maxLossPercent,
        int timerThreads,
        String clientAddress,
        String janusUrl,
        long janusPid,
        String janusClientAddress,
        String janusVersion) {

    private static final RunOptions.Defaults DEFAULTS = new RunOptions.Defaults(
            "ramp", 1, 18383, "1g", "redis://127.0.0.1:6379/13");

    static BenchConfig parse(String[] args) {
        Arguments o = new Arguments(args);
        BenchConfig config = new BenchConfig(
                RunOptions.read(o, DEFAULTS),
                o.text("relay-url", ""),
                Long.parseLong(o.text("relay-pid", "0")),
                o.integer("media-port", 20000),
                o.text("api", "participants"),
                o.integer("publishers", 2),
                o.integer("subscribers", 3),
                Arrays.stream(o.text("rooms", "1,2,4,6,8,12,16,24,32").split(",")).map(String::trim)
                        .map(Integer::parseInt).toList(),
                o.integer("warmup-seconds", 5),
                o.integer("measure-seconds", 20),
                new VideoSettings(o.integer("video-kbps", 1500) * 1000, o.integer("fps", 30),
                        o.integer("key-frame-seconds", 3)),
                Double.parseDouble(o.text("max-loss-percent", "1")),
                o.integer("timer-threads", 2),
                o.text("client-address", "127.0.0.1"),
                o.text("janus-url", ""),
                Long.parseLong(o.text("janus-pid", "0")),
                o.text("janus-client-address", ""),
                o.text("janus-version", "unknown"));
        o.rejectUnknown();
        if (!config.api.equals("sessions") && !config.api.equals("participants")) {
            throw new IllegalArgumentException("--api is sessions (POST /api/v1/sessions) or participants (PUT …/session)");
        }
        if (config.publishers < 1 || config.subscribers < 0 || config.publishers + config.subscribers < 2) {
            throw new IllegalArgumentException("a room needs a publisher and someone to receive it");
        }
        if (config.run.phases().stream().anyMatch(p -> p.trim().equals("janus"))
                && (config.janusUrl.isBlank() || config.janusClientAddress.isBlank())) {
            throw new IllegalArgumentException("the janus phase needs --janus-url and --janus-client-address "
                    + "(bench/media-relay/vs-janus.sh sets them)");
        }
        return config;
    }

    /** Whether the bench uses a relay that runs already instead of starting one. */
    boolean externalRelay() {
        return !relayUrl.isBlank();
    }

    /**
     * Streams the relay forwards per room: every publisher's audio and video to every other
     * participant (each subscriber and the other publishers).
     */
    int streamsPerRoom() {
        return publishers * 2 * (publishers - 1 + subscribers);
    }
}
