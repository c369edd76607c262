package dev.parley.deploy;

import static dev.parley.deploy.Rendered.container;
import static dev.parley.deploy.Rendered.containers;
import static dev.parley.deploy.Rendered.env;
import static dev.parley.deploy.Rendered.name;
import static dev.parley.deploy.Rendered.podAnnotations;
import static dev.parley.deploy.Rendered.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What operators rely on, asserted on the rendered documents of every example. */
class ChartPropertiesTest {

    static final List<String> EXAMPLES = HelmChart.EXAMPLE_NAMES;

    /** The four services, their HTTP ports. */
    static final Map<String, Integer> SERVICES = Map.of(
            "signaling", 8080, "presence", 8081, "key-distribution", 8082, "media-relay", 8083);

    static final String P = HelmChart.RELEASE + "-";

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void everyPodRunsNonRootWithAReadOnlyRootAndNoCapabilities(String example) {
        Rendered r = HelmChart.rendered(example);
        assertThat(r.workloads()).isNotEmpty();
        for (ObjectNode workload : r.workloads()) {
            JsonNode pod = podSpec(workload).path("securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean()).as("%s runAsNonRoot", name(workload)).isTrue();
            assertThat(pod.path("runAsUser").asInt()).as("%s runAsUser", name(workload)).isPositive();
            assertThat(pod.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(podSpec(workload).path("automountServiceAccountToken").asBoolean(true)).isFalse();
            for (JsonNode c : containers(workload)) {
                String what = name(workload) + "/" + c.path("name").asText();
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("%s readOnlyRootFilesystem", what).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s allowPrivilegeEscalation", what).isFalse();
                assertThat(sc.path("privileged").asBoolean()).as("%s privileged", what).isFalse();
                assertThat(texts(sc.path("capabilities").path("drop"))).as("%s capabilities.drop", what).containsExactly("ALL");
                assertThat(sc.path("capabilities").has("add")).as("%s adds no capability", what).isFalse();
                assertThat(c.path("resources").path("requests").path("cpu").isMissingNode()).as("%s cpu request", what).isFalse();
                assertThat(c.path("resources").path("requests").path("memory").isMissingNode()).as("%s memory request", what).isFalse();
                assertThat(c.path("resources").path("limits").path("memory").isMissingNode()).as("%s memory limit", what).isFalse();
                assertThat(c.path("resources").path("limits").path("cpu").isMissingNode()).as("%s cpu limit", what).isFalse();
            }
        }
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void servicesAreProbedOnQuarkusHealth(String example) {
        Rendered r = HelmChart.rendered(example);
        SERVICES.forEach((service, port) -> {
            JsonNode c = container(r.get("Deployment", P + service), service);
            assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
            assertThat(c.path("ports").get(0).path("name").asText()).isEqualTo("http");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertThat(c.path(probe).path("httpGet").path("port").asText()).isEqualTo("http");
            }
            // The service reads the chart's ConfigMap from /deployments/config (Quarkus' config dir).
            assertThat(c.path("workingDir").asText()).isEqualTo("/deployments");
            assertThat(mountPaths(c)).contains("/deployments/config", "/tmp");
        });
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void eachServiceStatesItsImage(String example) {
        Rendered r = HelmChart.rendered(example);
        String registry = example.equals("production") ? "registry.example.org/parley/" : "";
        SERVICES.keySet().forEach(service -> assertThat(container(r.get("Deployment", P + service), service).path("image").asText())
                .isEqualTo(registry + "parley-" + service + ":0.1.0-SNAPSHOT"));
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void aConfigMapChangeRollsOnlyThePodsThatReadIt(String example) {
        Rendered before = HelmChart.rendered(example);
        for (ObjectNode workload : before.workloads()) {
            boolean readsConfigMap = StreamSupport.stream(podSpec(workload).path("volumes").spliterator(), false)
                    .anyMatch(v -> v.has("configMap"));
            if (readsConfigMap) {
                assertThat(podAnnotations(workload).path("checksum/config").asText())
                        .as("%s reads a ConfigMap: checksum/config", name(workload)).matches("[0-9a-f]{64}");
            }
        }

        Rendered after = HelmChart.rendered(HelmChart.example(example),
                Map.of("signaling.config.parley\\.signaling\\.calls\\.resume-grace", "45s"));

        assertThat(after.get("ConfigMap", P + "signaling").path("data").path("application.properties").asText())
                .contains("parley.signaling.calls.resume-grace=45s");
        assertThat(checksum(after, "signaling")).isNotEqualTo(checksum(before, "signaling"));
        for (String other : List.of("presence", "key-distribution", "media-relay")) {
            assertThat(checksum(after, other)).as(other).isEqualTo(checksum(before, other));
        }
        // Changing Kafka's address changes every service's configuration.
        Rendered moved = HelmChart.rendered(HelmChart.example(example), Map.of(
                "kafka.bootstrapServers", "elsewhere:9092", "kafka.bundled.enabled", "false"));
        SERVICES.keySet().forEach(service -> assertThat(checksum(moved, service)).as(service).isNotEqualTo(checksum(before, service)));
    }

    @Test
    void aChartMadeSecretRollsThePodsWhenItChanges() {
        Map<String, Object> sets = new HashMap<>(Map.of(
                "secrets.create", "true",
                "secrets.guestTokenSecret", "a-test-only-guest-token-secret-of-48-characters!",
                "secrets.authoritySeed", "dGVzdC1vbmx5IHNlZWQsIG5vdCBmb3IgcHJvZHVjdGk="));
        Rendered first = HelmChart.rendered(HelmChart.example("minimal"), sets);
        sets.put("secrets.guestTokenSecret", "another-test-only-guest-token-secret-48-characters");
        Rendered second = HelmChart.rendered(HelmChart.example("minimal"), sets);

        ObjectNode secret = first.get("Secret", "parley-secrets");
        assertThat(secret.path("metadata").path("annotations").path("helm.sh/resource-policy").asText()).isEqualTo("keep");
        assertThat(podAnnotations(second.get("Deployment", P + "signaling")).path("checksum/secrets").asText())
                .isNotEqualTo(podAnnotations(first.get("Deployment", P + "signaling")).path("checksum/secrets").asText());
    }

    @Test
    void hpasScaleOnCpuAndEachServicesOwnLoadMetric() {
        Rendered r = HelmChart.rendered("production");
        Map<String, String> metrics = Map.of(
                "signaling", "parley_call_connections",
                "presence", "parley_presence_heartbeats_per_second",
                "key-distribution", "parley_kd_group_streams");
        Map<String, String> targets = Map.of("signaling", "8000", "presence", "200", "key-distribution", "2000");
        metrics.forEach((service, metric) -> {
            JsonNode hpa = r.get("HorizontalPodAutoscaler", P + service);
            assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
            JsonNode ref = hpa.path("spec").path("scaleTargetRef");
            assertThat(ref.path("kind").asText()).isEqualTo("Deployment");
            assertThat(ref.path("name").asText()).isEqualTo(P + service);
            assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(hpa.path("spec").path("minReplicas").asInt());

            JsonNode cpu = metric(hpa, "Resource");
            assertThat(cpu.path("resource").path("name").asText()).isEqualTo("cpu");
            assertThat(cpu.path("resource").path("target").path("type").asText()).isEqualTo("Utilization");
            assertThat(cpu.path("resource").path("target").path("averageUtilization").asInt()).isEqualTo(70);

            JsonNode custom = metric(hpa, "Pods");
            assertThat(custom.path("pods").path("metric").path("name").asText()).isEqualTo(metric);
            assertThat(custom.path("pods").path("target").path("type").asText()).isEqualTo("AverageValue");
            assertThat(custom.path("pods").path("target").path("averageValue").asText()).isEqualTo(targets.get(service));

            // The HPA owns the replica count: the Deployment must not fight it on every upgrade.
            assertThat(r.get("Deployment", P + service).path("spec").has("replicas")).isFalse();
        });
        // Relays scale with their node pool, not with an HPA.
        assertThat(r.find("HorizontalPodAutoscaler", P + "media-relay")).isEmpty();

        Rendered minimal = HelmChart.rendered("minimal");
        assertThat(minimal.all("HorizontalPodAutoscaler")).isEmpty();
        metrics.keySet().forEach(service ->
                assertThat(minimal.get("Deployment", P + service).path("spec").path("replicas").asInt()).isEqualTo(1));
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void everyLongRunningPodHasADisruptionBudget(String example) {
        Rendered r = HelmChart.rendered(example);
        for (ObjectNode deployment : r.all("Deployment")) {
            if (name(deployment).endsWith("-turn")) {
                continue; // one TURN server per node by default; a budget would block node drains
            }
            JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
            List<ObjectNode> budgets = r.all("PodDisruptionBudget").stream()
                    .filter(pdb -> selects(pdb.path("spec").path("selector").path("matchLabels"), labels))
                    .toList();
            assertThat(budgets).as("PDB of %s", name(deployment)).hasSize(1);
            assertThat(budgets.get(0).path("apiVersion").asText()).isEqualTo("policy/v1");
            assertThat(budgets.get(0).path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void networkPoliciesOpenOnlyTheIngressRoutesAndTheMediaPort(String example) {
        Rendered r = HelmChart.rendered(example);
        List<ObjectNode> policies = r.all("NetworkPolicy");

        // Default deny: every pod of the release is selected by a policy without ingress rules.
        ObjectNode deny = r.get("NetworkPolicy", P + "default-deny");
        assertThat(deny.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/instance").asText())
                .isEqualTo(HelmChart.RELEASE);
        assertThat(texts(deny.path("spec").path("policyTypes"))).containsExactly("Ingress");
        assertThat(deny.path("spec").has("ingress")).isFalse();
        for (ObjectNode workload : r.workloads()) {
            JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
            assertThat(selects(deny.path("spec").path("podSelector").path("matchLabels"), labels))
                    .as("default deny selects %s", name(workload)).isTrue();
        }

        // What the ingress controller may reach is exactly what the Ingress routes to.
        Set<String> fromIngressController = new TreeSet<>();
        Set<String> fromAnywhere = new TreeSet<>();
        for (ObjectNode policy : policies) {
            String target = policy.path("spec").path("podSelector").path("matchLabels").path("app.kubernetes.io/component").asText();
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    if (peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText().equals("ingress-nginx")) {
                        rule.path("ports").forEach(p -> fromIngressController.add(target + ":" + p.path("port").asInt()));
                    }
                    if (peer.has("ipBlock")) {
                        rule.path("ports").forEach(p -> fromAnywhere.add(target + ":" + p.path("port").asInt() + "/" + p.path("protocol").asText()));
                    }
                }
            }
        }
        Set<String> routed = new TreeSet<>();
        ObjectNode ingress = r.get("Ingress", HelmChart.RELEASE);
        for (JsonNode path : ingress.path("spec").path("rules").get(0).path("http").path("paths")) {
            String backend = path.path("backend").path("service").path("name").asText().substring(P.length());
            JsonNode service = r.get("Service", P + backend);
            routed.add(backend + ":" + service.path("spec").path("ports").get(0).path("port").asInt());
        }
        assertThat(fromIngressController).isEqualTo(routed);
        Set<String> expectedRoutes = new TreeSet<>(Set.of("signaling:8080", "presence:8081", "key-distribution:8082"));
        if (example.equals("production")) {
            expectedRoutes.add("web:8080");
        }
        assertThat(routed).isEqualTo(expectedRoutes);

        // From anywhere: only the relay's UDP media port (none with hostNetwork relays, which
        // NetworkPolicies cannot cover: the nodes' firewall does).
        boolean hostNetworkRelay = podSpec(r.get("Deployment", P + "media-relay")).path("hostNetwork").asBoolean();
        assertThat(fromAnywhere).isEqualTo(hostNetworkRelay ? Set.of() : Set.of("media-relay:10000/UDP"));
        if (!hostNetworkRelay) {
            ObjectNode relay = r.get("NetworkPolicy", P + "media-relay");
            JsonNode httpRule = relay.path("spec").path("ingress").get(1);
            assertThat(httpRule.path("ports").get(0).path("port").asInt()).isEqualTo(8083);
            assertThat(StreamSupport.stream(httpRule.path("from").spliterator(), false).noneMatch(p -> p.has("ipBlock"))).isTrue();
        }
    }

    @Test
    void kafkaAndRedisAreReachableOnlyFromTheServices() {
        Rendered r = HelmChart.rendered("minimal");
        Map<String, String> stores = Map.of("kafka", "parley.dev/kafka-client", "redis", "parley.dev/redis-client");
        stores.forEach((store, clientLabel) -> {
            ObjectNode policy = r.get("NetworkPolicy", P + store);
            JsonNode rules = policy.path("spec").path("ingress");
            assertThat(rules).hasSize(1);
            JsonNode from = rules.get(0).path("from");
            assertThat(from).hasSize(1);
            assertThat(from.get(0).has("namespaceSelector")).as("no other namespace").isFalse();
            assertThat(from.get(0).has("ipBlock")).isFalse();
            JsonNode selector = from.get(0).path("podSelector").path("matchLabels");
            assertThat(selector.path(clientLabel).asText()).isEqualTo("true");
            assertThat(selector.path("app.kubernetes.io/instance").asText()).isEqualTo(HelmChart.RELEASE);

            // The pods that carry the label: the four services, and for Kafka the topics Job.
            Set<String> clients = new TreeSet<>();
            for (ObjectNode workload : r.workloads()) {
                if (selects(selector, workload.path("spec").path("template").path("metadata").path("labels"))) {
                    clients.add(name(workload));
                }
            }
            Set<String> expected = new TreeSet<>(Set.of(P + "signaling", P + "presence", P + "key-distribution", P + "media-relay"));
            if (store.equals("kafka")) {
                expected.add(P + "kafka-topics-1");
            }
            assertThat(clients).as("%s clients", store).isEqualTo(expected);
        });
        assertThat(container(r.get("StatefulSet", P + "kafka"), "kafka").path("ports").get(0).path("containerPort").asInt()).isEqualTo(9092);
        // The services find them by their Services' names.
        String properties = r.get("ConfigMap", P + "signaling").path("data").path("application.properties").asText();
        assertThat(properties).contains("kafka.bootstrap.servers=parley-kafka:9092", "quarkus.redis.hosts=redis://parley-redis:6379");
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void theRelayPublishesOneUdpPortPerNodeAndDrainsBeforeStopping(String example) {
        Rendered r = HelmChart.rendered(example);
        ObjectNode relay = r.get("Deployment", P + "media-relay");
        JsonNode pod = podSpec(relay);
        JsonNode c = container(relay, "media-relay");
        JsonNode media = StreamSupport.stream(c.path("ports").spliterator(), false)
                .filter(p -> p.path("name").asText().equals("media")).findFirst().orElseThrow();
        assertThat(media.path("containerPort").asInt()).isEqualTo(10000);
        assertThat(media.path("protocol").asText()).isEqualTo("UDP");
        if (pod.path("hostNetwork").asBoolean()) {
            assertThat(example).isEqualTo("external-kafka-redis");
            assertThat(pod.path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
        } else {
            assertThat(media.path("hostPort").asInt()).isEqualTo(10000);
        }
        assertThat(properties(r, "media-relay")).contains("parley.media-relay.media-port=10000");
        assertThat(env(c, "NODE_IP").orElseThrow().path("valueFrom").path("fieldRef").path("fieldPath").asText()).isEqualTo("status.hostIP");

        JsonNode antiAffinity = pod.path("affinity").path("podAntiAffinity").path("requiredDuringSchedulingIgnoredDuringExecution");
        assertThat(antiAffinity).hasSize(1);
        assertThat(antiAffinity.get(0).path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(selects(antiAffinity.get(0).path("labelSelector").path("matchLabels"),
                relay.path("spec").path("template").path("metadata").path("labels"))).isTrue();

        int grace = pod.path("terminationGracePeriodSeconds").asInt();
        assertThat(grace).isGreaterThanOrEqualTo(example.equals("minimal") ? 120 : 3600);
        JsonNode preStop = c.path("lifecycle").path("preStop").path("httpGet");
        assertThat(preStop.path("path").asText()).isEqualTo("/q/drain");
        assertThat(preStop.path("port").asText()).isEqualTo("http");
        // An upgrade never runs two relays for one node's port, and drains them one at a time.
        assertThat(relay.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asInt()).isZero();

        // Media never goes through a Service or the Ingress: the relay's Service is its HTTP port.
        JsonNode servicePorts = r.get("Service", P + "media-relay").path("spec").path("ports");
        assertThat(servicePorts).hasSize(1);
        assertThat(servicePorts.get(0).path("protocol").asText()).isEqualTo("TCP");
        assertThat(r.all("Service")).noneMatch(s -> s.path("spec").path("type").asText().matches("NodePort|LoadBalancer"));
        assertThat(r.get("Ingress", HelmChart.RELEASE).toString()).doesNotContain(P + "media-relay");
    }

    @ParameterizedTest
    @FieldSource("EXAMPLES")
    void theIngressCarriesWebSocketsAndSseOverTls(String example) {
        Rendered r = HelmChart.rendered(example);
        ObjectNode ingress = r.get("Ingress", HelmChart.RELEASE);
        JsonNode spec = ingress.path("spec");
        String host = spec.path("rules").get(0).path("host").asText();
        assertThat(spec.path("ingressClassName").asText()).isEqualTo("nginx");
        assertThat(spec.path("tls")).hasSize(1);
        assertThat(texts(spec.path("tls").get(0).path("hosts"))).containsExactly(host);
        assertThat(spec.path("tls").get(0).path("secretName").asText()).isNotBlank();

        Map<String, String> backends = new HashMap<>();
        for (JsonNode path : spec.path("rules").get(0).path("http").path("paths")) {
            assertThat(path.path("pathType").asText()).isEqualTo("Prefix");
            backends.put(path.path("path").asText(), path.path("backend").path("service").path("name").asText());
        }
        assertThat(backends).containsEntry("/ws/v1", P + "signaling")
                .containsEntry("/ws/v1/presence", P + "presence")
                .containsEntry("/api/v1/rooms", P + "signaling")
                .containsEntry("/api/v1/groups", P + "key-distribution");
        assertThat(backends.keySet()).as("health and metrics are never public").noneMatch(p -> p.startsWith("/q"));

        // Long-lived WebSockets and the SSE group stream: long timeouts, no buffering.
        JsonNode annotations = ingress.path("metadata").path("annotations");
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-read-timeout").asInt()).isGreaterThanOrEqualTo(3600);
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-send-timeout").asInt()).isGreaterThanOrEqualTo(3600);
        assertThat(annotations.path("nginx.ingress.kubernetes.io/proxy-buffering").asText()).isEqualTo("off");

        assertThat(properties(r, "signaling")).contains("parley.signaling.public-url=https://" + host);
    }

    @Test
    void keycloakSettingsComeFromValuesAndItsSecretsFromExistingSecrets() {
        Rendered r = HelmChart.rendered("production");
        for (String service : SERVICES.keySet()) {
            String properties = properties(r, service);
            assertThat(properties).contains(
                    "quarkus.oidc.auth-server-url=http://keycloak.sso.svc:8080/realms/parley",
                    "quarkus.oidc.token.issuer=https://sso.example.org/realms/parley",
                    "quarkus.oidc.client-id=parley-services",
                    "quarkus.oidc.token.audience=parley-services",
                    "quarkus.oidc.tls.tls-configuration-name=keycloak",
                    "quarkus.tls.keycloak.trust-store.pem.certs=/etc/parley/keycloak-ca/ca.crt");

            ObjectNode deployment = r.get("Deployment", P + service);
            JsonNode c = container(deployment, service);
            assertSecretRef(c, "QUARKUS_OIDC_CREDENTIALS_SECRET", "parley-keycloak", "client-secret");
            assertSecretRef(c, "QUARKUS_REDIS_HOSTS", "parley-redis", "redis-url");
            JsonNode ca = StreamSupport.stream(podSpec(deployment).path("volumes").spliterator(), false)
                    .filter(v -> v.path("name").asText().equals("keycloak-ca")).findFirst().orElseThrow();
            assertThat(ca.path("secret").path("secretName").asText()).isEqualTo("parley-keycloak");
            assertThat(ca.path("secret").path("items").get(0).path("key").asText()).as("only the CA is mounted").isEqualTo("ca.crt");
            assertThat(properties).doesNotContain("quarkus.redis.hosts");
        }
        assertThat(properties(r, "signaling")).contains("parley.signaling.rooms.creator-role=room-creator");

        // The shared secrets: the guest-token secret on the three services that read guest tokens,
        // the CA seed on key distribution only.
        for (String service : List.of("signaling", "presence", "key-distribution")) {
            String prefix = "PARLEY_" + service.toUpperCase().replace('-', '_');
            assertSecretRef(container(r.get("Deployment", P + service), service), prefix + "_GUESTS_TOKEN_SECRET", "parley-secrets", "guest-token-secret");
        }
        assertSecretRef(container(r.get("Deployment", P + "key-distribution"), "key-distribution"),
                "PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED", "parley-secrets", "authority-seed");
        assertThat(env(container(r.get("Deployment", P + "signaling"), "signaling"), "PARLEY_KEY_DISTRIBUTION_AUTHORITY_SEED")).isEmpty();

        // No secret value is ever written into a manifest.
        for (String example : HelmChart.EXAMPLE_NAMES) {
            Rendered rendered = HelmChart.rendered(example);
            assertThat(rendered.all("Secret")).as(example).isEmpty();
            for (ObjectNode workload : rendered.workloads()) {
                for (JsonNode c : containers(workload)) {
                    for (JsonNode e : c.path("env")) {
                        if (e.path("name").asText().matches(".*(SECRET|SEED|PASSWORD).*")) {
                            assertThat(e.has("value")).as("%s %s is a literal", name(workload), e.path("name").asText()).isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void theWebAppServesStaticFilesUnprivilegedAndSignalingTellsItWhereToSignIn() {
        Rendered r = HelmChart.rendered("production");
        ObjectNode web = r.get("Deployment", P + "web");
        JsonNode c = container(web, "web");
        assertThat(c.path("image").asText()).isEqualTo("registry.example.org/parley/parley-web:0.1.0-SNAPSHOT");
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
        assertThat(podSpec(web).path("securityContext").path("runAsUser").asInt()).isEqualTo(101);
        JsonNode data = r.get("ConfigMap", P + "web").path("data");
        assertThat(data.path("nginx.conf").asText()).contains("listen 8080", "pid /tmp/nginx.pid", "try_files $uri $uri/ /index.html");
        assertThat(data.has("config.json")).as("the app reads its settings from signaling").isFalse();
        ObjectNode signalingConfig = r.get("ConfigMap", P + "signaling");
        assertThat(signalingConfig.path("data").path("application.properties").asText())
                .contains("parley.signaling.web.client-id=parley-web",
                        "parley.signaling.web.issuer=https://sso.example.org/realms/parley");

        assertThat(HelmChart.rendered("minimal").find("Deployment", P + "web"))
                .as("off by default: signaling serves the app").isEmpty();
    }

    @Test
    void kafkaTopicsAreCreatedAsInTheLocalStack() throws Exception {
        // The chart's topic list is dev/kafka/topics.conf's (which TopicCatalogueTest keeps equal
        // to the Topic enum).
        Map<String, String> local = new HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(HelmChart.ROOT.resolve("dev/kafka/topics.conf"))) {
            String[] fields = line.strip().split("\\s+");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            local.put(fields[0], fields[1] + " " + sortedConfig(fields.length > 2 ? fields[2] : ""));
        }

        // Job mode: the Job's topics.conf, plus the release's min.insync.replicas.
        Rendered minimal = HelmChart.rendered("minimal");
        String conf = minimal.get("ConfigMap", P + "kafka-topics").path("data").path("topics.conf").asText();
        Map<String, String> job = new HashMap<>();
        for (String line : conf.strip().split("\n")) {
            String[] fields = line.strip().split("\\s+");
            job.put(fields[0], fields[1] + " " + sortedConfig(fields[2].replace("min.insync.replicas=1,", "").replace(",min.insync.replicas=1", "")));
        }
        assertThat(job).isEqualTo(local);
        JsonNode jobContainer = container(minimal.get("Job", P + "kafka-topics-1"), "create-topics");
        assertThat(texts(jobContainer.path("command"))).containsSubsequence("parley-kafka:9092", "1");

        // Strimzi mode: one KafkaTopic per topic, replicated three times, two in sync.
        Rendered production = HelmChart.rendered("production");
        List<ObjectNode> topics = production.all("KafkaTopic");
        Map<String, String> strimzi = new HashMap<>();
        for (ObjectNode topic : topics) {
            JsonNode spec = topic.path("spec");
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("parley-kafka");
            assertThat(topic.path("metadata").path("namespace").asText()).isEqualTo("kafka");
            assertThat(spec.path("replicas").asInt()).isEqualTo(3);
            assertThat(spec.path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
            List<String> config = new ArrayList<>();
            spec.path("config").fields().forEachRemaining(f -> {
                if (!f.getKey().equals("min.insync.replicas")) {
                    config.add(f.getKey() + "=" + f.getValue().asText());
                }
            });
            strimzi.put(spec.path("topicName").asText(), spec.path("partitions").asInt() + " " + sortedConfig(String.join(",", config)));
        }
        assertThat(strimzi).isEqualTo(local);
        assertThat(production.all("Job")).isEmpty();
    }

    private static String sortedConfig(String config) {
        return String.join(",", new TreeSet<>(List.of(config.split(","))));
    }

    private static void assertSecretRef(JsonNode container, String variable, String secret, String key) {
        JsonNode ref = env(container, variable).orElseThrow(() -> new AssertionError("no " + variable))
                .path("valueFrom").path("secretKeyRef");
        assertThat(ref.path("name").asText()).as(variable).isEqualTo(secret);
        assertThat(ref.path("key").asText()).as(variable).isEqualTo(key);
    }

    private static String properties(Rendered r, String service) {
        return r.get("ConfigMap", P + service).path("data").path("application.properties").asText();
    }

    private static String checksum(Rendered r, String service) {
        return podAnnotations(r.get("Deployment", P + service)).path("checksum/config").asText();
    }

    private static JsonNode metric(JsonNode hpa, String type) {
        return StreamSupport.stream(hpa.path("spec").path("metrics").spliterator(), false)
                .filter(m -> m.path("type").asText().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " metric"));
    }

    private static boolean selects(JsonNode matchLabels, JsonNode labels) {
        Set<Boolean> matches = new HashSet<>();
        matchLabels.fields().forEachRemaining(f -> matches.add(f.getValue().asText().equals(labels.path(f.getKey()).asText())));
        return !matchLabels.isEmpty() && !matches.contains(false);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> mountPaths(JsonNode container) {
        return texts(StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .map(m -> m.path("mountPath"))
                .collect(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance::arrayNode,
                        com.fasterxml.jackson.databind.node.ArrayNode::add,
                        com.fasterxml.jackson.databind.node.ArrayNode::addAll));
    }
}
