package io.vlsuite.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobDocumentStoreTest {

    private static EmbeddedS3Server server;
    private static S3ObjectStorage storage;
    private static JobDocumentStore jobs;

    @BeforeAll
    static void start() {
        server = S3TestServer.start();
        storage = S3TestServer.storageWithBuckets(server, BucketLayout.DEFAULTS);
        jobs = new JobDocumentStore(storage, BucketLayout.DEFAULTS, 50);
    }

    @AfterAll
    static void stop() {
        storage.close();
        server.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void createStoresUnderTenantAndIdAndRefusesASecondCreate() {
        JobDocument created = jobs.create("acme", "job-1", json("{\"state\":\"queued\"}"));
        assertThat(created.etag()).isNotBlank();
        assertThat(storage.head("vlsuite-jobs", "jobs/acme/job-1.json")).isPresent();

        JobDocument read = jobs.get("acme", "job-1");
        assertThat(read.json()).isEqualTo(json("{\"state\":\"queued\"}"));
        assertThat(read.etag()).isEqualTo(created.etag());

        assertThatThrownBy(() -> jobs.create("acme", "job-1", json("{\"state\":\"other\"}")))
                .isInstanceOf(MediaStoreException.PreconditionFailed.class)
                .extracting(e -> ((MediaStoreException) e).code()).isEqualTo("precondition_failed");
    }

    @Test
    void aSecondCreateFailsEvenWithIdenticalContent() {
        // Whether a repeated create is a replay is the service's call (idempotency keys), not the store's.
        jobs.create("acme", "job-idem", json("{\"state\":\"queued\"}"));
        assertThatThrownBy(() -> jobs.create("acme", "job-idem", json("{\"state\":\"queued\"}")))
                .isInstanceOf(MediaStoreException.PreconditionFailed.class).hasMessageContaining("already exists");
    }

    @Test
    void replaceWithAStaleEtagNeverOverwritesTheNewerVersion() {
        JobDocument v1 = jobs.create("acme", "job-2", json("{\"state\":\"queued\",\"rev\":1}"));
        JobDocument v2 = jobs.replace("acme", "job-2", json("{\"state\":\"running\",\"rev\":2}"), v1.etag());
        assertThat(v2.etag()).isNotEqualTo(v1.etag());

        assertThatThrownBy(() -> jobs.replace("acme", "job-2", json("{\"state\":\"failed\",\"rev\":2}"), v1.etag()))
                .isInstanceOf(MediaStoreException.PreconditionFailed.class);
        assertThat(jobs.get("acme", "job-2").json()).isEqualTo(json("{\"state\":\"running\",\"rev\":2}"));
    }

    @Test
    void ofConcurrentWritersFromTheSameVersionExactlyOneWins() throws Exception {
        JobDocument base = jobs.create("acme", "job-race", json("{\"state\":\"running\",\"rev\":1}"));
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JobDocument>> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                byte[] mine = json("{\"state\":\"completed\",\"rev\":2,\"worker\":" + i + "}");
                outcomes.add(pool.submit((Callable<JobDocument>) () -> {
                    go.await();
                    return jobs.replace("acme", "job-race", mine, base.etag());
                }));
            }
            go.countDown();
            List<JobDocument> winners = new ArrayList<>();
            int losers = 0;
            for (Future<JobDocument> f : outcomes) {
                try {
                    winners.add(f.get());
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(MediaStoreException.PreconditionFailed.class);
                    losers++;
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(losers).isEqualTo(writers - 1);
            assertThat(jobs.get("acme", "job-race").json()).isEqualTo(winners.getFirst().json());
        }
    }

    @Test
    void compareAndSetUpdatesLoseNoIncrementUnderContention() throws Exception {
        jobs.create("acme", "job-counter", json("{\"count\":0}"));
        int threads = 4;
        int incrementsEach = 5;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsEach; i++) {
                        jobs.updateJson("acme", "job-counter", tree -> {
                            ObjectNode o = (ObjectNode) tree;
                            return o.put("count", o.get("count").asInt() + 1);
                        });
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        assertThat(jobs.get("acme", "job-counter").tree().get("count").asInt()).isEqualTo(threads * incrementsEach);
    }

    @Test
    void anUpdateThatChangesNothingWritesNothing() {
        JobDocument before = jobs.create("acme", "job-terminal", json("{\"state\":\"completed\"}"));
        JobDocument after = jobs.update("acme", "job-terminal", current -> current.json());
        assertThat(after.etag()).isEqualTo(before.etag());
        assertThat(jobs.update("acme", "job-terminal", current -> null).etag()).isEqualTo(before.etag());
    }

    @Test
    void updateOfAMissingDocumentIsNotFound() {
        assertThatThrownBy(() -> jobs.update("acme", "job-absent", current -> json("{}")))
                .isInstanceOf(MediaStoreException.NotFound.class);
        assertThat(jobs.find("acme", "job-absent")).isEmpty();
    }

    @Test
    void updateGivesUpAfterTheConfiguredNumberOfLostRaces() {
        JobDocumentStore impatient = new JobDocumentStore(storage, BucketLayout.DEFAULTS, 2);
        impatient.create("acme", "job-busy", json("{\"n\":0}"));
        int[] calls = {0};
        assertThatThrownBy(() -> impatient.update("acme", "job-busy", current -> {
            calls[0]++;
            // Another writer sneaks in between our read and our write, every time.
            JobDocument now = jobs.get("acme", "job-busy");
            jobs.replace("acme", "job-busy", json("{\"n\":" + (100 + calls[0]) + "}"), now.etag());
            return json("{\"n\":-1}");
        })).isInstanceOf(MediaStoreException.PreconditionFailed.class).hasMessageContaining("2 compare-and-set");
        assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void listsATenantsDocumentsPageByPage() {
        for (int i = 0; i < 5; i++) {
            jobs.create("lister", "j" + i, json("{\"i\":" + i + "}"));
        }
        jobs.create("other-tenant", "j9", json("{}"));

        JobDocumentPage first = jobs.list("lister", "", null, 2);
        assertThat(first.items()).extracting(JobDocumentPage.Entry::id).containsExactly("j0", "j1");
        JobDocumentPage second = jobs.list("lister", "", first.nextAfterId(), 2);
        assertThat(second.items()).extracting(JobDocumentPage.Entry::id).containsExactly("j2", "j3");
        JobDocumentPage last = jobs.list("lister", "", second.nextAfterId(), 2);
        assertThat(last.items()).extracting(JobDocumentPage.Entry::id).containsExactly("j4");
        assertThat(last.nextAfterId()).isNull();

        assertThat(jobs.list("lister", "j3", null, 10).items()).extracting(JobDocumentPage.Entry::id).containsExactly("j3");
    }

    @Test
    void tenantAndIdCannotEscapeTheirFolder() {
        assertThatThrownBy(() -> jobs.get("../media", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jobs.get("acme", "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jobs.create("acme", "", json("{}"))).isInstanceOf(IllegalArgumentException.class);
    }
}
