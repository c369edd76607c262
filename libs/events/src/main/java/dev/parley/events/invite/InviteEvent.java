package dev.parley.events.invite;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.events.identity.UserId;

import java.time.Instant;

/**
 * Something that happened to an invite link, as recorded on
 * {@link dev.parley.events.Topic#INVITES} with the invite's complete state after it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InviteCreated.class, name = InviteCreated.TYPE),
        @JsonSubTypes.Type(value = InviteRevoked.class, name = InviteRevoked.TYPE),
        @JsonSubTypes.Type(value = InviteRedeemed.class, name = InviteRedeemed.TYPE),
})
public sealed interface InviteEvent permits InviteCreated, InviteRevoked, InviteRedeemed {

    InviteState invite();

    Instant occurredAt();

    UserId by();

    /** The Kafka record key. */
    default InviteCode code() {
        return invite().code();
    }
}
