package dev.parley.signaling.invite;

import dev.parley.runtime.guest.GuestIdentity;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/invites/{code}/redeem}.
 *
 * @param displayName the name a guest is shown under; required without a sign-in, ignored with one
 */
public record RedeemRequest(
        @Size(min = 1, max = GuestIdentity.MAX_NAME_LENGTH) @Pattern(regexp = "[^\\p{Cntrl}]*[^\\p{Cntrl}\\s][^\\p{Cntrl}]*",
                message = "must have visible characters and no control characters") String displayName) {
}
