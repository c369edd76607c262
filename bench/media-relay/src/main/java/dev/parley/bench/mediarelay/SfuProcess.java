package dev.parley.bench.mediarelay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An SFU's process as {@code /proc} shows it, whatever namespace its network lives in: CPU time
 * (user + system, fields 14 and 15 of {@code /proc/<pid>/stat}) and resident memory
 * ({@code VmRSS} of {@code /proc/<pid>/status}), summed over all its threads.
 */
record SfuProcess(long pid) {

    static final SfuProcess NONE = new SfuProcess(0);
    /** Clock ticks per second of {@code /proc/<pid>/stat} times: 100 on Linux (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    boolean known() {
        return pid > 0;
    }

    double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }
}
