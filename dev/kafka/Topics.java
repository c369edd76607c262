import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Applies dev/kafka/topics.conf to a broker in one JVM (used by dev/stack.sh; not part of the build).
 *
 * <pre>java -cp 'kafka-libs/*:classes' Topics 127.0.0.1:9092 dev/kafka/topics.conf</pre>
 *
 * Idempotent: creates missing topics, raises too-low partition counts, (re)sets the listed configs.
 * Exit code 0 when every topic matches the file afterwards, 1 otherwise, 2 on a bad file.
 */
public class Topics {

    record Spec(String name, int partitions, Map<String, String> configs) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Topics <bootstrap-servers> <topics.conf>");
            System.exit(2);
        }
        List<Spec> specs;
        try {
            specs = parse(Path.of(args[1]));
        } catch (IllegalArgumentException e) {
            System.err.println("[kafka] " + e.getMessage());
            System.exit(2);
            return;
        }

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "parley-dev-topics");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "200");

        boolean ok = true;
        List<String> unchanged = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));

            // 1. create the missing topics (one request)
            List<NewTopic> toCreate = new ArrayList<>();
            for (Spec s : specs) {
                if (!existing.contains(s.name())) {
                    toCreate.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(s.configs()));
                }
            }
            if (!toCreate.isEmpty()) {
                var result = admin.createTopics(toCreate);
                for (NewTopic t : toCreate) {
                    try {
                        result.values().get(t.name()).get(30, TimeUnit.SECONDS);
                        System.out.println("[kafka] topic " + t.name() + ": created (partitions=" + t.numPartitions()
                                + (t.configs().isEmpty() ? "" : ", " + join(t.configs())) + ")");
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) {
                            existing.add(t.name()); // created concurrently: check it below
                        } else {
                            System.err.println("[kafka] topic " + t.name() + ": create FAILED: " + e.getCause());
                            ok = false;
                        }
                    }
                }
            }

            // 2. check partitions and configs of the topics that already existed
            List<Spec> present = specs.stream().filter(s -> existing.contains(s.name())).toList();
            if (!present.isEmpty()) {
                Map<String, TopicDescription> descriptions = admin
                        .describeTopics(present.stream().map(Spec::name).toList())
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                List<ConfigResource> resources = present.stream()
                        .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
                Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);

                Map<String, NewPartitions> grow = new LinkedHashMap<>();
                Map<ConfigResource, Collection<AlterConfigOp>> alter = new LinkedHashMap<>();
                for (Spec s : present) {
                    boolean same = true;
                    int actual = descriptions.get(s.name()).partitions().size();
                    if (actual < s.partitions()) {
                        grow.put(s.name(), NewPartitions.increaseTo(s.partitions()));
                        same = false;
                    } else if (actual > s.partitions()) {
                        same = false;
                        System.out.println("[kafka] topic " + s.name() + ": has " + actual + " partitions, file says "
                                + s.partitions() + " (Kafka cannot shrink; delete the topic to recreate it)");
                    }
                    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
                    Config current = configs.get(res);
                    List<AlterConfigOp> ops = new ArrayList<>();
                    for (var e : s.configs().entrySet()) {
                        ConfigEntry ce = current.get(e.getKey());
                        if (ce == null || !e.getValue().equals(ce.value())) {
                            ops.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
                        }
                    }
                    if (!ops.isEmpty()) {
                        alter.put(res, ops);
                        same = false;
                    }
                    if (same) {
                        unchanged.add(s.name());
                    }
                }
                if (!grow.isEmpty()) {
                    var result = admin.createPartitions(grow);
                    for (var e : grow.entrySet()) {
                        try {
                            result.values().get(e.getKey()).get(30, TimeUnit.SECONDS);
                            System.out.println("[kafka] topic " + e.getKey() + ": partitions raised to "
                                    + e.getValue().totalCount());
                        } catch (ExecutionException ex) {
                            System.err.println("[kafka] topic " + e.getKey() + ": raising partitions FAILED: " + ex.getCause());
                            ok = false;
                        }
                    }
                }
                if (!alter.isEmpty()) {
                    var result = admin.incrementalAlterConfigs(alter);
                    for (var e : alter.entrySet()) {
                        try {
                            result.values().get(e.getKey()).get(30, TimeUnit.SECONDS);
                            Map<String, String> changed = new LinkedHashMap<>();
                            e.getValue().forEach(op -> changed.put(op.configEntry().name(), op.configEntry().value()));
                            System.out.println("[kafka] topic " + e.getKey().name() + ": config set (" + join(changed) + ")");
                        } catch (ExecutionException ex) {
                            System.err.println("[kafka] topic " + e.getKey().name() + ": config update FAILED: " + ex.getCause());
                            ok = false;
                        }
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("[kafka] topics: cannot talk to the broker at " + args[0] + ": " + e);
            System.exit(1);
        }
        if (!unchanged.isEmpty()) {
            System.out.println("[kafka] topics up to date: " + String.join(", ", unchanged));
        }
        System.exit(ok ? 0 : 1);
    }

    static List<Spec> parse(Path file) throws Exception {
        List<Spec> specs = new ArrayList<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 2 || f.length > 3) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'name partitions [k=v,k=v]': " + raw);
            }
            int partitions;
            try {
                partitions = Integer.parseInt(f[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": partitions is not a number: " + f[1]);
            }
            Map<String, String> configs = new LinkedHashMap<>();
            if (f.length == 3) {
                for (String kv : f[2].split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": bad config '" + kv + "'");
                    }
                    configs.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            specs.add(new Spec(f[0], partitions, configs));
        }
        return specs;
    }

    static String join(Map<String, String> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
