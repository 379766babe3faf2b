package io.vlsuite.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@code java -jar vlsuite-standalone.jar} run with the Vector API the engine's kernels use.
 *
 * <p>{@code jdk.incubator.vector} is an incubator module: it is only resolved when the command line says
 * {@code --add-modules jdk.incubator.vector}, and a jar manifest cannot ask for it. When the module is missing, the
 * launcher starts the same command again with the flag and waits for it, so users keep the plain {@code java -jar}.
 */
final class VectorApiRelauncher {

    static final String MODULE = "jdk.incubator.vector";

    private VectorApiRelauncher() {
    }

    /** Whether this JVM can use the Vector API. */
    static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * Re-runs this process's command line with the module added and returns the child's exit status, or empty
     * when this JVM's command line cannot be read (then the suite runs without the Vector API's speed).
     */
    static Optional<Integer> relaunchWithVectorApi() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(info.command().get());
        command.add("--add-modules=" + MODULE);
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(List.of(info.arguments().get()));
        try {
            Process child = new ProcessBuilder(command).inheritIO().start();
            // Ctrl-C reaches both processes; this one waits so the shell prompt returns only after a clean stop.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    child.waitFor(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            return Optional.of(child.waitFor());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(130);
        }
    }
}
