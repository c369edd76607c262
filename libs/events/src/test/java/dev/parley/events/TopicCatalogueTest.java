package dev.parley.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topics the local stack creates ({@code dev/kafka/topics.conf}) are exactly the ones the
 * code declares, with the same partition counts and cleanup policies.
 */
class TopicCatalogueTest {

    private record Declared(String name, int partitions, String config) {
    }

    @Test
    void topicsConfMatchesTheTopicEnum() throws IOException {
        Map<String, Declared> conf = Files.readAllLines(Path.of("../../dev/kafka/topics.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"))
                .map(fields -> new Declared(fields[0], Integer.parseInt(fields[1]), fields.length > 2 ? fields[2] : ""))
                .collect(Collectors.toMap(Declared::name, Function.identity()));

        assertThat(conf.keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        for (Topic topic : Topic.values()) {
            Declared declared = conf.get(topic.topicName());
            assertThat(declared.partitions()).as(topic.topicName()).isEqualTo(topic.partitions());
            assertThat(declared.config()).as(topic.topicName())
                    .contains("cleanup.policy=" + (topic.compacted() ? "compact" : "delete"));
        }
    }
}
