package io.vlsuite.qwen2vl.cli;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Entry point of {@code qwen2vl-cli.jar}: {@code java -jar qwen2vl-cli.jar <command> [options]}.
 *
 * <p>Every command reads JSON lines or files and writes JSON to stdout, so tests and tools can drive the core
 * without Spring. Errors are one line on stderr and a non-zero exit status.
 */
public final class Qwen2VlCli {

    private Qwen2VlCli() {
    }

    /** All commands, in the order {@code help} lists them. Add new commands here. */
    static List<CliCommand> commands() {
        return List.of(
                new HelpCommand(),
                new PreprocessCommand(),
                new BenchPreprocessCommand(),
                new BenchModelCommand(),
                new BenchVisionCommand(),
                new GenerateCommand(),
                new BenchEngineCommand(),
                new BenchSamplerCommand(),
                new TokenizeCommand(),
                new RenderCommand(),
                new BenchTokenizerCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8),
                new PrintStream(System.err, true, StandardCharsets.UTF_8)));
    }

    /** Runs one command and returns its exit status; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String name = args.length == 0 ? "help" : args[0];
        CliCommand command = commands().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("error: unknown command '" + name + "' (try: help)");
            return 2;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            return command.run(rest, System.in, out);
        } catch (CliUsageException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Qwen2VlException e) {
            err.println("error: [" + e.code() + "] " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    /** Lists the commands. */
    static final class HelpCommand implements CliCommand {
        @Override
        public String name() {
            return "help";
        }

        @Override
        public String summary() {
            return "list the commands";
        }

        @Override
        public int run(String[] args, java.io.InputStream in, PrintStream out) {
            out.println("usage: java -jar qwen2vl-cli.jar <command> [options]");
            for (CliCommand c : commands()) {
                out.printf("  %-12s %s%n", c.name(), c.summary());
            }
            return 0;
        }
    }
}
