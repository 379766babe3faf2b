package io.vlsuite.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on RFC 9457 answers. */
final class Problems {

    private Problems() {
    }

    /** The answer is problem+json with this status and code, and leaks no stack trace or internal detail. */
    static void assertProblem(SuiteClient.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as("content type of %s", answer.body()).startsWith("application/problem+json");
        assertThat(answer.code()).as("code of %s", answer.body()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("\tat ", "Exception:", "java.lang.");
    }
}
