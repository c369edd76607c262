package dev.parley.mediarelay.placement;

/**
 * How loaded this relay is, as the heartbeat publishes it: each figure beside the limit it is
 * measured against, and {@link #stress()}, the one number signaling places rooms by.
 *
 * @param sessions            open sessions (participants' transports)
 * @param maxSessions         {@code parley.media-relay.max-sessions}: more sessions are refused
 * @param packetsPerSecond    datagrams received per second over the last heartbeat interval
 * @param maxPacketsPerSecond {@code parley.media-relay.max-packets-per-second}: what the relay is
 *                            sized to receive
 * @param cpu                 the process's CPU load, 0..1
 */
public record RelayLoad(int sessions, int maxSessions, long packetsPerSecond, long maxPacketsPerSecond, double cpu) {

    /**
     * The most used of the relay's resources, 0..1: the maximum of sessions / maxSessions,
     * packetsPerSecond / maxPacketsPerSecond and cpu. 1 means full: placing a room here would
     * degrade its calls (or be refused with {@code relay-full}).
     */
    public double stress() {
        double sessionShare = ratio(sessions, maxSessions);
        double packetShare = ratio(packetsPerSecond, maxPacketsPerSecond);
        return clamp(Math.max(sessionShare, Math.max(packetShare, cpu)));
    }

    /**
     * A CPU load as {@code OperatingSystemMXBean#getProcessCpuLoad} reports it, in 0..1; its -1
     * ("not available yet") counts as 0.
     */
    static double clamp(double load) {
        if (Double.isNaN(load) || load < 0) {
            return 0;
        }
        return Math.min(load, 1);
    }

    private static double ratio(long used, long limit) {
        return limit <= 0 ? 1 : (double) used / limit;
    }
}
