package io.vlsuite.contracts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    @Test
    void topicNamesAreDistinctAndLegalForKafka() {
        assertThat(Topics.ALL).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("[a-zA-Z0-9._-]{1,249}"))
                .containsExactly(Topics.JOBS_INTERACTIVE, Topics.JOBS_BATCH, Topics.EVENTS, Topics.JOBS_DLT, Topics.CONTROL);
    }
}
