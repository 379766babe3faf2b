package io.vlsuite.media.lifecycle;

/** What happened when the lifecycle plan was applied to one bucket (reported in health details). */
public record LifecycleState(Outcome outcome, String detail) {

    public enum Outcome {
        /** The server accepted the rules and expires objects itself. */
        APPLIED,
        /** The server does not implement bucket lifecycle (S3Proxy); expiry needs the {@link ExpirySweeper}. */
        UNSUPPORTED,
        /** Applying failed (e.g. access denied, storage unreachable); objects do not expire until it succeeds. */
        FAILED,
        /** Lifecycle management is switched off by configuration (an operator manages it). */
        DISABLED
    }
}
