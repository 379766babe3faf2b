package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.kernel.VectorSupport;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code java -jar qwen2vl-cli.jar} starts without the incubating Vector API (a JAR manifest cannot add modules),
 * which would leave the model kernels scalar. Model commands therefore re-run themselves once in a child JVM with
 * {@code --add-modules jdk.incubator.vector}, sharing this process's stdin/stdout/stderr.
 */
final class VectorModuleRelauncher {

    private static final String GUARD = "vlsuite.relaunched";

    private VectorModuleRelauncher() {
    }

    /**
     * Re-runs {@code command args} with the Vector API enabled when that is needed and possible; returns the child's
     * exit status, or empty when the caller should continue in this JVM (module present, already relaunched, or
     * not attached to the process's own standard streams, as in tests).
     */
    static OptionalInt relaunchIfNeeded(String command, String[] args, InputStream in, PrintStream err) {
        if (VectorSupport.AVAILABLE || Boolean.getBoolean(GUARD) || in != System.in
                || Boolean.getBoolean("vlsuite.kernel.scalar")) {
            if (!VectorSupport.AVAILABLE) {
                err.println("warning: " + VectorSupport.missingModuleMessage());
            }
            return OptionalInt.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=" + VectorSupport.MODULE);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-D" + GUARD + "=true");
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Qwen2VlCli.class.getName());
        cmd.add(command);
        cmd.addAll(List.of(args));
        try {
            Process child = new ProcessBuilder(cmd).inheritIO().start();
            return OptionalInt.of(child.waitFor());
        } catch (Exception e) {
            err.println("warning: could not restart with the Vector API (" + e.getMessage() + "); "
                    + VectorSupport.missingModuleMessage());
            return OptionalInt.empty();
        }
    }
}
