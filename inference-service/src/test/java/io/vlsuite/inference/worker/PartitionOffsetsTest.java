package io.vlsuite.inference.worker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionOffsetsTest {

    @Test
    void commitsOnlyUpToTheFirstUnfinishedJob() {
        var offsets = new PartitionOffsets();
        offsets.fetched(10);
        offsets.fetched(11);
        offsets.fetched(12);
        assertThat(offsets.committable()).isEqualTo(10); // nothing finished: position stays at the first job

        offsets.committed(10);
        offsets.finished(12); // a later, shorter job finished first
        assertThat(offsets.committable()).isEqualTo(-1);

        offsets.finished(10);
        assertThat(offsets.committable()).isEqualTo(11);
        offsets.committed(11);

        offsets.finished(11);
        assertThat(offsets.committable()).isEqualTo(13);
        offsets.committed(13);
        assertThat(offsets.committable()).isEqualTo(-1);
        assertThat(offsets.unfinishedCount()).isZero();
    }

    @Test
    void aFailedCommitIsSentAgain() {
        var offsets = new PartitionOffsets();
        offsets.fetched(0);
        offsets.finished(0);
        assertThat(offsets.committable()).isEqualTo(1);
        offsets.committed(1);
        assertThat(offsets.committable()).isEqualTo(-1);
        offsets.commitFailed(1);
        assertThat(offsets.committable()).isEqualTo(1);
    }
}
