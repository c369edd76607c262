package dev.parley.presence.device;

import jakarta.validation.constraints.NotNull;

/** The body of a device heartbeat. */
public record Heartbeat(@NotNull Status status) {
}
