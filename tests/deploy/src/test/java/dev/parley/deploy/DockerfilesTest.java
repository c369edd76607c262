package dev.parley.deploy;

import static dev.parley.deploy.Rendered.containers;
import static dev.parley.deploy.Rendered.env;
import static dev.parley.deploy.Rendered.name;
import static dev.parley.deploy.Rendered.podSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images' Dockerfiles (docs/operations.md#images), checked without Docker against what the chart
 * runs: one per Parley image the chart deploys, named as the chart names it, on a pinned base, as
 * the chart's numeric non-root user, exposing the chart's container ports. The production example
 * is the render used: it runs every Parley image (the web app too) from a registry.
 */
class DockerfilesTest {

    /** The Quarkus services' JVM options: the chart's JAVA_TOOL_OPTIONS must replace, not fight, the image's. */
    static final List<String> QUARKUS_ENTRYPOINT = List.of("java", "-jar", "/deployments/quarkus-run.jar");

    /** One Parley container of the rendered chart, with what its image must match. */
    record ChartContainer(String name, String repository, int runAsUser, int runAsGroup, String workingDir,
            Set<String> ports, String javaToolOptions, Path dockerfile) {
    }

    static List<ChartContainer> chartContainers() {
        Rendered r = HelmChart.rendered("production");
        List<ChartContainer> found = new ArrayList<>();
        for (JsonNode workload : r.workloads()) {
            JsonNode pod = podSpec(workload).path("securityContext");
            for (JsonNode c : containers(workload)) {
                String image = c.path("image").asText();
                String repository = image.substring(image.lastIndexOf('/') + 1).replaceFirst(":[^:]*$", "");
                if (!repository.startsWith("parley-")) {
                    continue; // Kafka, Redis, coturn: third-party images
                }
                String container = c.path("name").asText();
                Set<String> ports = new TreeSet<>();
                c.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt() + "/"
                        + p.path("protocol").asText("TCP").toLowerCase()));
                Path dockerfile = container.equals("web")
                        ? HelmChart.ROOT.resolve("clients/web/Dockerfile")
                        : HelmChart.ROOT.resolve("services/" + container + "/src/main/docker/Dockerfile.jvm");
                found.add(new ChartContainer(name(workload) + "/" + container, repository,
                        pod.path("runAsUser").asInt(-1), pod.path("runAsGroup").asInt(-1),
                        c.path("workingDir").asText(""), ports,
                        env(c, "JAVA_TOOL_OPTIONS").map(e -> e.path("value").asText()).orElse(null), dockerfile));
            }
        }
        return found;
    }

    @Test
    void everyParleyImageTheChartRunsHasADockerfile() {
        List<ChartContainer> containers = chartContainers();
        assertThat(containers).extracting(ChartContainer::repository).containsExactlyInAnyOrder(
                "parley-signaling", "parley-presence", "parley-key-distribution", "parley-media-relay", "parley-web");
        for (ChartContainer c : containers) {
            assertThat(c.dockerfile()).as("%s's Dockerfile", c.name()).isRegularFile();
        }
    }

    @Test
    void eachDockerfileStatesTheImageNameTheChartUses() {
        for (ChartContainer c : chartContainers()) {
            assertThat(Dockerfile.read(c.dockerfile()).labels())
                    .as("%s: LABEL org.opencontainers.image.title", c.dockerfile())
                    .containsEntry("org.opencontainers.image.title", c.repository());
        }
    }

    @Test
    void everyBaseImageIsPinnedToARelease() {
        for (ChartContainer c : chartContainers()) {
            assertPinned(Dockerfile.read(c.dockerfile()));
        }
    }

    @Test
    void everyImageRunsAsTheChartsNumericNonRootUser() {
        for (ChartContainer c : chartContainers()) {
            Dockerfile d = Dockerfile.read(c.dockerfile());
            assertNumericNonRootUser(d);
            String[] user = d.user().split(":");
            assertThat(Integer.parseInt(user[0])).as("%s: USER is the chart's runAsUser", c.dockerfile()).isEqualTo(c.runAsUser());
            if (user.length > 1) {
                assertThat(Integer.parseInt(user[1])).as("%s: USER's group is the chart's runAsGroup", c.dockerfile())
                        .isEqualTo(c.runAsGroup());
            }
        }
    }

    @Test
    void everyImageExposesExactlyThePortsTheChartsContainerUses() {
        for (ChartContainer c : chartContainers()) {
            assertThat(c.ports()).as("%s's container ports", c.name()).isNotEmpty();
            assertThat(Dockerfile.read(c.dockerfile()).exposed()).as("%s: EXPOSE", c.dockerfile())
                    .containsExactlyInAnyOrderElementsOf(c.ports());
        }
        // The relay's media port is UDP: the one port that is not HTTP.
        assertThat(Dockerfile.read(service("media-relay")).exposed()).contains("10000/udp");
    }

    @Test
    void theServicesRunQuarkusFastJarFromTheChartsWorkingDirectory() {
        List<ChartContainer> services = chartContainers().stream().filter(c -> !c.name().endsWith("/web")).toList();
        assertThat(services).hasSize(4);
        for (ChartContainer c : services) {
            Dockerfile d = Dockerfile.read(c.dockerfile());
            assertFastJar(d);
            assertThat(d.workdir()).as("%s: WORKDIR is the chart's workingDir", c.dockerfile()).isEqualTo(c.workingDir());
            // BuildKit reads <Dockerfile>.dockerignore: the context sends the fast-jar, which the COPYs need.
            assertThat(lines(Path.of(c.dockerfile() + ".dockerignore"))).as("%s.dockerignore", c.dockerfile())
                    .containsExactly("*", "!target/quarkus-app");
        }
    }

    @Test
    void theServicesJvmOptionsAreTheChartsAndTheChartReplacesThem() {
        for (ChartContainer c : chartContainers().stream().filter(c -> !c.name().endsWith("/web")).toList()) {
            Dockerfile d = Dockerfile.read(c.dockerfile());
            // Options on the java command line would override the chart's JAVA_TOOL_OPTIONS.
            assertThat(d.entrypoint()).as("%s: ENTRYPOINT", c.dockerfile()).isEqualTo(QUARKUS_ENTRYPOINT);
            assertThat(d.env()).as("%s: ENV", c.dockerfile()).doesNotContainKeys("JAVA_OPTS", "JDK_JAVA_OPTIONS");
            assertThat(c.javaToolOptions()).as("%s: the chart's JAVA_TOOL_OPTIONS", c.name()).contains("-XX:MaxRAMPercentage=");
            assertThat(d.env().get("JAVA_TOOL_OPTIONS")).as("%s: JAVA_TOOL_OPTIONS", c.dockerfile())
                    .isEqualTo(c.javaToolOptions());
        }
    }

    @Test
    void nothingInTheImagesIsWritableByTheServiceOrAVolumeOutsideTmp() {
        for (ChartContainer c : chartContainers()) {
            Dockerfile d = Dockerfile.read(c.dockerfile());
            for (String copy : d.stage("COPY")) {
                assertThat(copy).as("%s: COPY leaves the files root's", c.dockerfile()).doesNotContain("--chown");
            }
            for (String volume : d.stage("VOLUME")) {
                assertThat(volume).as("%s: VOLUME", c.dockerfile()).isEqualTo("/tmp");
            }
        }
    }

    @Test
    void theWebImageServesTheBuiltAppOn8080AsUser101() {
        Rendered r = HelmChart.rendered("production");
        String nginxConf = r.get("ConfigMap", HelmChart.RELEASE + "-web").path("data").path("nginx.conf").asText();
        Matcher root = Pattern.compile("(?m)^\\s*root\\s+(\\S+);").matcher(nginxConf);
        assertThat(root.find()).as("the chart's nginx.conf has a root").isTrue();
        assertThat(nginxConf).contains("listen 8080;");

        Path path = HelmChart.ROOT.resolve("clients/web/Dockerfile");
        Dockerfile web = Dockerfile.read(path);
        assertThat(web.from()).startsWith("nginxinc/nginx-unprivileged:");
        assertThat(web.user()).isEqualTo("101");
        assertThat(web.exposed()).containsExactly("8080/tcp");
        // The built files (clients/web/build.sh build) into the directory the chart's nginx.conf serves.
        assertThat(web.stage("COPY")).contains("dist/ " + root.group(1) + "/");
        // The same server when run without the chart: port 8080, single-page fallback, /healthz.
        String run = String.join("\n", web.stage("RUN"));
        assertThat(run).contains("listen 8080;", "root " + root.group(1) + ";",
                "try_files $uri $uri/ /index.html;", "location = /healthz");
        // The build context sends only dist/.
        assertThat(lines(HelmChart.ROOT.resolve("clients/web/.dockerignore"))).containsExactly("*", "!dist");
    }

    /** Each check above fails on a Dockerfile that breaks its rule. */
    @Test
    void theChecksRejectWhatTheyShould() {
        assertThatThrownBy(() -> assertPinned(Dockerfile.parse("FROM eclipse-temurin\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertPinned(Dockerfile.parse("FROM eclipse-temurin:latest\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertPinned(Dockerfile.parse("FROM eclipse-temurin:17-jre\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertPinned(Dockerfile.parse("FROM ${BASE}\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertPinned(Dockerfile.parse("FROM localhost:5000/jre\n"))).isInstanceOf(AssertionError.class);
        assertPinned(Dockerfile.parse("ARG BASE=eclipse-temurin:17.0.18_8-jre-noble\nFROM ${BASE}\n"));
        assertPinned(Dockerfile.parse("FROM localhost:5000/jre@sha256:" + "ab".repeat(32) + "\n"));

        assertThatThrownBy(() -> assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0\nUSER parley\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0\nUSER 0:0\n"))).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0\nUSER 10001\nUSER root\n")))
                .isInstanceOf(AssertionError.class);
        // Only the last stage's USER counts.
        assertThatThrownBy(() -> assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0 AS b\nUSER 10001\nFROM y:1.0\n")))
                .isInstanceOf(AssertionError.class);
        assertNumericNonRootUser(Dockerfile.parse("FROM x:1.0\nUSER 10001:10001\n"));

        String fastJar = "FROM x:1.0\nWORKDIR /deployments\n"
                + "COPY target/quarkus-app/lib/ /deployments/lib/\n"
                + "COPY target/quarkus-app/quarkus-run.jar /deployments/\n"
                + "COPY target/quarkus-app/app/ /deployments/app/\n"
                + "COPY target/quarkus-app/quarkus/ /deployments/quarkus/\n";
        assertFastJar(Dockerfile.parse(fastJar));
        assertThatThrownBy(() -> assertFastJar(Dockerfile.parse(fastJar.replace("COPY target/quarkus-app/quarkus/ /deployments/quarkus/\n", ""))))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertFastJar(Dockerfile.parse("FROM x:1.0\nCOPY target/*-runner.jar /deployments/app.jar\n")))
                .isInstanceOf(AssertionError.class);

        Dockerfile parsed = Dockerfile.parse("""
                ARG B=x:1.0
                FROM ${B}
                # a comment \\
                ENV A=1 \\
                    JAVA_TOOL_OPTIONS="-Xmx1g -Dy=z"
                LABEL t="parley-x"
                EXPOSE 8080 10000/UDP
                ENTRYPOINT ["java", "-jar", "/a.jar"]
                """);
        assertThat(parsed.from()).isEqualTo("x:1.0");
        assertThat(parsed.env()).containsEntry("A", "1").containsEntry("JAVA_TOOL_OPTIONS", "-Xmx1g -Dy=z");
        assertThat(parsed.labels()).containsExactly(Map.entry("t", "parley-x"));
        assertThat(parsed.exposed()).containsExactly("10000/udp", "8080/tcp");
        assertThat(parsed.entrypoint()).containsExactly("java", "-jar", "/a.jar");
    }

    // --- the checks --------------------------------------------------------------------------

    /** The base image is a release: a digest, or a tag carrying a version (not latest, not a bare 17-jre). */
    static void assertPinned(Dockerfile d) {
        String image = d.from();
        assertThat(image).as("%s: FROM resolves every ARG", d.source()).doesNotContain("$");
        if (image.contains("@")) {
            assertThat(image).as("%s: FROM's digest", d.source()).matches(".+@sha256:[0-9a-f]{64}");
            return;
        }
        String lastSegment = image.substring(image.lastIndexOf('/') + 1);
        assertThat(lastSegment).as("%s: FROM %s has a tag", d.source(), image).contains(":");
        String tag = lastSegment.substring(lastSegment.indexOf(':') + 1);
        assertThat(tag).as("%s: FROM %s's tag", d.source(), image).isNotEqualTo("latest").containsPattern("\\d+\\.\\d+");
    }

    /** The final stage switches to a numeric user (and group) other than root. */
    static void assertNumericNonRootUser(Dockerfile d) {
        String user = d.user();
        assertThat(user).as("%s: USER", d.source()).isNotNull().matches("\\d+(:\\d+)?");
        for (String id : user.split(":")) {
            assertThat(Integer.parseInt(id)).as("%s: USER %s", d.source(), user).isPositive();
        }
    }

    /** Quarkus' fast-jar layout from target/quarkus-app into /deployments, nothing else of target/. */
    static void assertFastJar(Dockerfile d) {
        List<String> copies = d.stage("COPY");
        assertThat(copies).as("%s: COPY", d.source()).contains(
                "target/quarkus-app/lib/ /deployments/lib/",
                "target/quarkus-app/quarkus-run.jar /deployments/",
                "target/quarkus-app/app/ /deployments/app/",
                "target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(copies).as("%s: COPY only the fast-jar", d.source()).allMatch(c -> c.startsWith("target/quarkus-app/"));
    }

    static Path service(String name) {
        return HelmChart.ROOT.resolve("services/" + name + "/src/main/docker/Dockerfile.jvm");
    }

    static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- a Dockerfile, read as far as the checks need -----------------------------------------

    record Instruction(String keyword, String arguments) {
    }

    /**
     * The instructions of a Dockerfile: comments dropped, continuation lines joined. {@link #stage}
     * answers for the last stage (the image); {@link #from} resolves the ARGs declared before it.
     */
    record Dockerfile(String source, List<Instruction> instructions) {

        static Dockerfile read(Path path) {
            try {
                return parse(path.toString(), Files.readString(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Dockerfile parse(String text) {
            return parse("a Dockerfile", text);
        }

        static Dockerfile parse(String source, String text) {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                String stripped = line.strip();
                if (stripped.startsWith("#")) {
                    continue; // comment lines, also inside a continued instruction
                }
                if (stripped.endsWith("\\")) {
                    current.append(stripped, 0, stripped.length() - 1).append(' ');
                    continue;
                }
                current.append(stripped);
                String whole = current.toString().strip();
                current.setLength(0);
                if (!whole.isEmpty()) {
                    String[] parts = whole.split("\\s+", 2);
                    instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : ""));
                }
            }
            return new Dockerfile(source, List.copyOf(instructions));
        }

        private int lastFrom() {
            int index = -1;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).keyword().equals("FROM")) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new AssertionError(source + ": no FROM");
            }
            return index;
        }

        /** The arguments of every `keyword` instruction of the last stage. */
        List<String> stage(String keyword) {
            return instructions.subList(lastFrom(), instructions.size()).stream()
                    .filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** The last stage's base image, ARG defaults (declared before the first FROM) substituted. */
        String from() {
            Map<String, String> args = new LinkedHashMap<>();
            for (Instruction i : instructions) {
                if (i.keyword().equals("FROM")) {
                    break;
                }
                if (i.keyword().equals("ARG")) {
                    args.putAll(pairs(i.arguments()));
                }
            }
            String image = instructions.get(lastFrom()).arguments().split("\\s+")[0];
            for (Map.Entry<String, String> arg : args.entrySet()) {
                image = image.replaceAll("\\$(\\{" + Pattern.quote(arg.getKey()) + "}|" + Pattern.quote(arg.getKey()) + "(?![A-Za-z0-9_]))",
                        Matcher.quoteReplacement(arg.getValue()));
            }
            return image;
        }

        /** The last stage's final USER, or null. */
        String user() {
            List<String> users = stage("USER");
            return users.isEmpty() ? null : users.get(users.size() - 1);
        }

        String workdir() {
            List<String> dirs = stage("WORKDIR");
            return dirs.isEmpty() ? null : dirs.get(dirs.size() - 1);
        }

        /** Exposed ports as port/protocol, lower case (tcp when unstated). */
        Set<String> exposed() {
            Set<String> ports = new TreeSet<>();
            for (String expose : stage("EXPOSE")) {
                for (String port : expose.split("\\s+")) {
                    ports.add((port.contains("/") ? port : port + "/tcp").toLowerCase());
                }
            }
            return ports;
        }

        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            stage("ENV").forEach(e -> env.putAll(pairs(e)));
            return env;
        }

        Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            stage("LABEL").forEach(l -> labels.putAll(pairs(l)));
            return labels;
        }

        /** The last ENTRYPOINT in exec form (a JSON array); the shell form fails. */
        List<String> entrypoint() {
            List<String> entrypoints = stage("ENTRYPOINT");
            if (entrypoints.isEmpty()) {
                return null;
            }
            String last = entrypoints.get(entrypoints.size() - 1);
            try {
                return JsonMapper.builder().build().readValue(last, new TypeReference<List<String>>() {
                });
            } catch (IOException e) {
                throw new AssertionError(source + ": ENTRYPOINT is not in exec form: " + last, e);
            }
        }

        /** key=value pairs, values optionally in double quotes (with spaces inside). */
        static Map<String, String> pairs(String arguments) {
            Map<String, String> pairs = new LinkedHashMap<>();
            Matcher m = Pattern.compile("([^\\s=]+)(?:=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*))?").matcher(arguments);
            while (m.find()) {
                String value = m.group(3) != null ? m.group(3).replace("\\\"", "\"") : m.group(2);
                pairs.put(m.group(1), value == null ? "" : value);
            }
            return pairs;
        }
    }
}
