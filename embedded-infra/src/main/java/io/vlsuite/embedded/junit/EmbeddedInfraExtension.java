package io.vlsuite.embedded.junit;

import io.vlsuite.embedded.EmbeddedInfra;
import io.vlsuite.embedded.kafka.EmbeddedKafkaConfig;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one embedded Kafka broker and one S3 server per test JVM and points Spring at them.
 *
 * <p>Declare it before {@code @SpringBootTest} ({@code @ExtendWith(EmbeddedInfraExtension.class)}): it sets the
 * system properties of {@link EmbeddedInfra#springProperties()} before any application context is created, and
 * the servers stop when the whole test run ends. Starting them once per JVM keeps a module's integration tests
 * fast (a broker takes a few seconds to start).
 */
public final class EmbeddedInfraExtension implements BeforeAllCallback {

    private static final String KEY = EmbeddedInfra.class.getName();
    private static final String ACCESS_KEY = "vlsuite-test";
    private static final String SECRET_KEY = "vlsuite-test-secret";

    @Override
    public void beforeAll(ExtensionContext context) {
        infra(context);
    }

    /** The JVM-wide infrastructure, started on first use. */
    public static EmbeddedInfra infra(ExtensionContext context) {
        var store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        Holder holder = store.getOrComputeIfAbsent(KEY, k -> Holder.start(), Holder.class);
        return holder.infra;
    }

    /** Closed by JUnit when the root context closes, i.e. after the last test of the run. */
    private record Holder(EmbeddedInfra infra) implements AutoCloseable {

        static Holder start() {
            EmbeddedInfra infra = EmbeddedInfra.start(EmbeddedKafkaConfig.ephemeral(),
                    new EmbeddedS3Config("127.0.0.1", 0, null, ACCESS_KEY, SECRET_KEY), 2);
            infra.springProperties().forEach(System::setProperty);
            return new Holder(infra);
        }

        @Override
        public void close() {
            infra.close();
        }
    }
}
