package io.vlsuite.embedded.kafka;

import io.vlsuite.embedded.Ports;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker (KRaft, combined broker and controller, one node) running inside this JVM.
 *
 * <p>This is Kafka's own {@link KafkaRaftServer}, not a fake: the standalone mode and the integration tests speak
 * the real protocol to it. Settings are those of a single-node development cluster (replication factor 1).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteLogDirOnStop;
    private volatile boolean stopped;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path logDir, boolean deleteLogDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteLogDirOnStop = deleteLogDir;
    }

    /** Formats the log folder if needed and starts the broker; returns once it accepts clients. */
    public static EmbeddedKafkaBroker start(EmbeddedKafkaConfig config) {
        int port = Ports.claim("Kafka", config.host(), config.port(), "VLSUITE_KAFKA_PORT");
        int controllerPort = Ports.claim("Kafka controller", config.host(), config.controllerPort(),
                "VLSUITE_KAFKA_CONTROLLER_PORT");
        boolean temporary = config.logDir() == null;
        Path logDir;
        try {
            logDir = temporary ? Files.createTempDirectory("vlsuite-kafka") : Files.createDirectories(config.logDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka log folder " + config.logDir(), e);
        }
        Properties props = brokerProperties(config.host(), port, controllerPort, logDir);
        formatIfNew(props, logDir);
        long started = System.nanoTime();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = config.host() + ":" + port;
        log.info("Kafka broker (KRaft) started at {} in {} ms, log in {}", bootstrap,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
        return new EmbeddedKafkaBroker(server, bootstrap, logDir, temporary);
    }

    private static Properties brokerProperties(String host, int port, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Consumers in tests and in the standalone mode should not wait 3 s for the first rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /** KRaft needs a formatted metadata folder; a folder kept from an earlier run is reused as it is. */
    private static void formatIfNew(Properties props, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Path cfg = Files.createTempFile("vlsuite-kafka", ".properties");
            try (var out = Files.newOutputStream(cfg)) {
                props.store(out, "vlsuite embedded broker");
            }
            var output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString()},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            Files.deleteIfExists(cfg);
            if (rc != 0) {
                throw new IllegalStateException("formatting the Kafka log folder " + logDir + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("formatting the Kafka log folder " + logDir + " failed", e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<NewTopic> topics = names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the embedded broker did not create topics within 30 s", e);
        }
    }

    /** Stops the broker and waits for it; deletes a temporary log folder. Safe to call twice. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.shutdown();
        server.awaitShutdown();
        if (deleteLogDirOnStop) {
            deleteRecursively(logDir);
        }
        log.info("Kafka broker at {} stopped", bootstrapServers);
    }

    @Override
    public void close() {
        stop();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}", dir, e);
        }
    }
}
