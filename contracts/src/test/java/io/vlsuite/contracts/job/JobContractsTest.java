package io.vlsuite.contracts.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobContractsTest {

    static final ObjectMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    static JobRecord sampleJob() {
        var image = new MediaRef(MediaRef.IMAGE, List.of("media/abc.png"), 56, 28, List.of(1, 2, 4), null);
        return new JobRecord("job-1", "acme", Lane.BATCH, "vlsuite/tiny-trained",
                List.of(new ChatMessage("user", List.of(ContentPart.media(image), ContentPart.text("Describe this image.")))),
                new Sampling(64, 0.0, null, null, null, 7L, List.of("\n\n"), null, null, null, null, null, null, null, 1),
                false, Instant.parse("2026-11-26T08:00:00Z"), null, "req-1");
    }

    @Test
    void aJobRecordSurvivesJsonWithStableNames() throws Exception {
        JobRecord job = sampleJob();
        String text = json.writeValueAsString(job);
        assertThat(text).contains("\"lane\":\"batch\"").contains("\"gridThw\":[1,2,4]")
                .doesNotContain("\"deadline\"").doesNotContain("\"fps\"");
        assertThat(json.readValue(text, JobRecord.class)).isEqualTo(job);
    }

    @Test
    void aJobEventSurvivesJson() throws Exception {
        var event = new JobEvent("job-1", "acme", JobEvent.COMPLETED, 5, Instant.parse("2026-11-26T08:00:01Z"),
                List.of(new JobEvent.Choice(0, "A red circle.", List.of(1, 2), null, "stop")),
                new JobEvent.Usage(30, 2), new JobEvent.Timings(3L, 40L, 20L, 63L), null, "worker-a");
        assertThat(json.readValue(json.writeValueAsString(event), JobEvent.class)).isEqualTo(event);
        assertThat(event.isTerminal()).isTrue();
        assertThat(event.usage().totalTokens()).isEqualTo(32);
    }

    @Test
    void visionTokensAreTheMergedPatchCount() {
        assertThat(sampleJob().messages().getFirst().content().getFirst().media().visionTokens()).isEqualTo(2);
    }

    @Test
    void aJobDocumentOnlyMovesForward() {
        var now = Instant.parse("2026-11-26T08:00:00Z");
        var doc = new JobDocument("job-1", "acme", JobStatus.QUEUED, Lane.BATCH, now, now, sampleJob(), null, null,
                null, Map.of(), null, null, null);
        var running = doc.moveTo(JobStatus.RUNNING, now.plusSeconds(1));
        var done = running.moveTo(JobStatus.COMPLETED, now.plusSeconds(2));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.updatedAt()).isEqualTo(now.plusSeconds(2));
        assertThatThrownBy(() -> done.moveTo(JobStatus.RUNNING, now)).hasMessageContaining("cannot move from completed to running");
        assertThatThrownBy(() -> running.moveTo(JobStatus.QUEUED, now)).isInstanceOf(IllegalStateException.class);
        assertThat(doc.moveTo(JobStatus.CANCELLED, now).status().isTerminal()).isTrue();
    }
}
