package io.vlsuite.qwen2vl.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** One sub-command of {@code qwen2vl-cli.jar}. */
public interface CliCommand {

    /** The word typed after {@code java -jar qwen2vl-cli.jar}. */
    String name();

    /** One line shown by {@code help}. */
    String summary();

    /**
     * Runs the command. Returns the process exit status. Errors the user can fix are thrown as
     * {@link CliUsageException} or {@link io.vlsuite.qwen2vl.Qwen2VlException}; the launcher prints them on one line.
     */
    int run(String[] args, InputStream in, PrintStream out) throws Exception;
}
