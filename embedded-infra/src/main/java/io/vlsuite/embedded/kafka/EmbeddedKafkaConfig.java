package io.vlsuite.embedded.kafka;

import java.nio.file.Path;

/**
 * Where the embedded broker listens and keeps its log.
 *
 * @param host           address both listeners bind to (loopback by default: the broker is for one machine)
 * @param port           client (PLAINTEXT) port; 0 picks a free port
 * @param controllerPort KRaft controller port; 0 picks a free port
 * @param logDir         folder for the broker's log segments; null means a temporary folder deleted on stop
 */
public record EmbeddedKafkaConfig(String host, int port, int controllerPort, Path logDir) {

    /** A broker on free loopback ports with a temporary log: what tests use. */
    public static EmbeddedKafkaConfig ephemeral() {
        return new EmbeddedKafkaConfig("127.0.0.1", 0, 0, null);
    }
}
