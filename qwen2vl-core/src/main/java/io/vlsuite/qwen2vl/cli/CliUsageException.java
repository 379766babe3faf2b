package io.vlsuite.qwen2vl.cli;

/** Wrong command-line usage: printed as one line on stderr, exit status 2. */
public final class CliUsageException extends RuntimeException {
    public CliUsageException(String message) {
        super(message);
    }
}
