package io.vlsuite.inference.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStoreException;

import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link JobDocuments} on the jobs bucket, through media-store's conditional writes. */
public final class StoreJobDocuments implements JobDocuments {

    private final JobDocumentStore store;

    public StoreJobDocuments(JobDocumentStore store) {
        this.store = store;
    }

    @Override
    public Optional<JobDocument> find(String tenant, String jobId) {
        try {
            return store.find(tenant, jobId).map(stored -> parse(stored.json()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a tenant or id that cannot name a document has none
        } catch (MediaStoreException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<JobDocument> update(String tenant, String jobId, UnaryOperator<JobDocument> change) {
        try {
            var stored = store.update(tenant, jobId, current -> {
                JobDocument next = change.apply(parse(current.json()));
                return next == null ? null : write(next);
            });
            return Optional.of(parse(stored.json()));
        } catch (MediaStoreException.NotFound e) {
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        } catch (MediaStoreException e) {
            throw unavailable(e);
        }
    }

    private static InferenceException unavailable(MediaStoreException e) {
        return new InferenceException("storage_unavailable", "job document store: " + e.getMessage(), true, e);
    }

    static JobDocument parse(byte[] json) {
        try {
            return JobJson.MAPPER.readValue(json, JobDocument.class);
        } catch (IOException e) {
            throw new InferenceException("invalid_job_document", "unreadable job document: " + e.getMessage(), false, e);
        }
    }

    static byte[] write(JobDocument document) {
        try {
            return JobJson.MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise job document " + document.id(), e);
        }
    }
}
