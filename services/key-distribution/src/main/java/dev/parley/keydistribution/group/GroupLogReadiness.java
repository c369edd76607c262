package dev.parley.keydistribution.group;

import dev.parley.events.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while this replica follows the group log, without which no submission gets a verdict. */
@Readiness
@ApplicationScoped
public class GroupLogReadiness implements HealthCheck {

    private final GroupLog log;

    GroupLogReadiness(GroupLog log) {
        this.log = log;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Group log").status(log.following())
                .withData(Topic.GROUPS.topicName(), log.following() ? "following" : "connecting").build();
    }
}
