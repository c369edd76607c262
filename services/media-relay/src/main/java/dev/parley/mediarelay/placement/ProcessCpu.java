package dev.parley.mediarelay.placement;

import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The relay process's recent CPU load (all cores together), 0..1, from
 * {@link com.sun.management.OperatingSystemMXBean#getProcessCpuLoad()}; 0 on a JVM without it.
 */
@Singleton
class ProcessCpu {

    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

    double load() {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return RelayLoad.clamp(sun.getProcessCpuLoad());
        }
        return 0;
    }
}
