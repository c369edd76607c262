package dev.parley.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/** The documents one render produced, with the look-ups the tests need. */
record Rendered(String source, List<ObjectNode> documents) {

    List<ObjectNode> all(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return all(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                source + ": no " + kind + " " + name + " among " + names()));
    }

    List<String> names() {
        return documents.stream()
                .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
                .toList();
    }

    /** The workloads: Deployments, StatefulSets and Jobs. */
    List<ObjectNode> workloads() {
        List<ObjectNode> workloads = new ArrayList<>(all("Deployment"));
        workloads.addAll(all("StatefulSet"));
        workloads.addAll(all("Job"));
        return workloads;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static JsonNode podAnnotations(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("annotations");
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> containers = new ArrayList<>();
        podSpec(workload).path("containers").forEach(containers::add);
        podSpec(workload).path("initContainers").forEach(containers::add);
        return containers;
    }

    static JsonNode container(JsonNode workload, String name) {
        return containers(workload).stream()
                .filter(c -> name.equals(c.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Optional<JsonNode> env(JsonNode container, String name) {
        return StreamSupport.stream(container.path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText()))
                .findFirst();
    }

    static String name(JsonNode document) {
        return document.path("metadata").path("name").asText();
    }
}
