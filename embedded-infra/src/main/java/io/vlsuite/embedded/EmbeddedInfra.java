package io.vlsuite.embedded;

import io.vlsuite.contracts.Topics;
import io.vlsuite.embedded.kafka.EmbeddedKafkaBroker;
import io.vlsuite.embedded.kafka.EmbeddedKafkaConfig;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The infrastructure the services need, running in this JVM: a Kafka broker (KRaft) and an S3-compatible server,
 * both on loopback. Used by the standalone launcher and by integration tests.
 */
public final class EmbeddedInfra implements AutoCloseable {

    private final EmbeddedKafkaBroker kafka;
    private final EmbeddedS3Server s3;

    private EmbeddedInfra(EmbeddedKafkaBroker kafka, EmbeddedS3Server s3) {
        this.kafka = kafka;
        this.s3 = s3;
    }

    /**
     * Starts the broker and the S3 server and creates the suite's topics. If the second fails to start, the first
     * is stopped again, so a failed start leaves nothing running.
     */
    public static EmbeddedInfra start(EmbeddedKafkaConfig kafkaConfig, EmbeddedS3Config s3Config, int partitions) {
        EmbeddedS3Server s3 = EmbeddedS3Server.start(s3Config);
        EmbeddedKafkaBroker kafka;
        try {
            kafka = EmbeddedKafkaBroker.start(kafkaConfig);
            kafka.createTopics(Topics.ALL, partitions);
        } catch (RuntimeException e) {
            s3.stop();
            throw e;
        }
        return new EmbeddedInfra(kafka, s3);
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    public EmbeddedS3Server s3() {
        return s3;
    }

    /** The Spring properties that point a service at this infrastructure. */
    public Map<String, String> springProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("vlsuite.media-store.endpoint", s3.endpoint().toString());
        props.put("vlsuite.media-store.access-key", s3.accessKey());
        props.put("vlsuite.media-store.secret-key", s3.secretKey());
        return props;
    }

    /** Stops both servers; safe to call twice. */
    @Override
    public void close() {
        try {
            kafka.stop();
        } finally {
            s3.stop();
        }
    }
}
