package dev.parley.bench.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the bench can tell about the machine it shares with the replicas and the stack, from
 * {@code /proc} and {@code /etc/os-release}: figures from different machines, or taken while
 * something else loaded this one, are not comparable. Unknown values read {@code ?}.
 */
public final class Machine {

    private Machine() {
    }

    /** {@code 2 cores (<CPU model>), 7.8 GB RAM, <OS>, kernel <release>}. */
    static String describe() {
        return String.format("%d cores (%s), %s RAM, %s, kernel %s", Runtime.getRuntime().availableProcessors(),
                firstValue("/proc/cpuinfo", "model name"), memTotal(), osName(), read("/proc/sys/kernel/osrelease"));
    }

    /** {@code /proc/loadavg} as it stands: every process on the machine counts. */
    public static String loadAverage() {
        return read("/proc/loadavg");
    }

    private static String memTotal() {
        String kb = firstValue("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "");
        return kb.isEmpty() ? "?" : String.format("%.1f GB", Long.parseLong(kb) / 1024.0 / 1024.0);
    }

    private static String osName() {
        return firstValue("/etc/os-release", "PRETTY_NAME").replace("\"", "").replaceFirst("^=", "");
    }

    private static String firstValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(key.length()).replaceFirst("^\\s*[:=]\\s*", "").trim();
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return "?";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
