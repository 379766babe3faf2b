package io.vlsuite.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.OperationObserver;
import io.vlsuite.media.s3.RetryPolicy;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A conditional write lands but its answer is lost; the storage layer retries and the retry's precondition fails
 * against our own write. The job store must report success (it was our write), not a conflict.
 */
class LostAnswerTest {

    private static EmbeddedS3Server server;
    private static AnswerDroppingProxy proxy;
    private static S3ObjectStorage storage;
    private static JobDocumentStore jobs;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
        proxy = new AnswerDroppingProxy(server.endpoint());
        storage = S3ObjectStorage.create(S3TestServer.settings(server).withRetry(
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50), 2.0))
                .withEndpoint(proxy.endpoint()), OperationObserver.NOOP);
        storage.ensureBucket(BucketLayout.DEFAULTS.jobsBucket());
        jobs = new JobDocumentStore(storage, BucketLayout.DEFAULTS);
    }

    @AfterAll
    static void stop() throws Exception {
        storage.close();
        proxy.close();
        server.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCreateWhoseAnswerWasLostIsStillASuccess() {
        int droppedBefore = proxy.droppedAnswers();
        proxy.dropNextAnswerTo("PUT /vlsuite-jobs/jobs/acme/lost-create.json");

        JobDocument created = jobs.create("acme", "lost-create", json("{\"state\":\"queued\"}"));

        assertThat(proxy.droppedAnswers()).isEqualTo(droppedBefore + 1);
        assertThat(created.etag()).isEqualTo(jobs.get("acme", "lost-create").etag());
    }

    @Test
    void aReplaceWhoseAnswerWasLostIsStillASuccessAndIsNotAppliedTwice() {
        JobDocument v1 = jobs.create("acme", "lost-update", json("{\"count\":1}"));
        int droppedBefore = proxy.droppedAnswers();
        proxy.dropNextAnswerTo("PUT /vlsuite-jobs/jobs/acme/lost-update.json");

        // An increment: were the lost write taken for a conflict, the retry would re-read 2 and store 3.
        JobDocument v2 = jobs.updateJson("acme", "lost-update",
                tree -> ((ObjectNode) tree).put("count", tree.get("count").asInt() + 1));

        assertThat(proxy.droppedAnswers()).isEqualTo(droppedBefore + 1);
        assertThat(v2.etag()).isNotEqualTo(v1.etag());
        assertThat(jobs.get("acme", "lost-update").json()).isEqualTo(json("{\"count\":2}"));
    }
}
