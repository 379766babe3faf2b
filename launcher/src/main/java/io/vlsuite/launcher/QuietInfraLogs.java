package io.vlsuite.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The embedded broker and S3 server log hundreds of INFO lines at start; in the standalone terminal only their
 * warnings matter. Applied before they start (Logback's defaults are DEBUG until Spring configures logging) and
 * passed to every Spring context, which configures logging again.
 */
final class QuietInfraLogs {

    private static final List<String> LOGGERS = List.of("kafka", "org.apache.kafka", "org.gaul", "state.change.logger");

    /** The same levels as Spring command-line arguments. */
    static final List<String> SPRING_ARGS = LOGGERS.stream().map(name -> "--logging.level." + name + "=WARN").toList();

    private QuietInfraLogs() {
    }

    static void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
            for (String name : LOGGERS) {
                context.getLogger(name).setLevel(Level.WARN);
            }
        }
    }
}
