package io.vlsuite.preprocess.store;

import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.media.JobDocumentPage;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.preprocess.api.Json;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Job documents ({@code jobs/{tenant}/{id}.json}) as {@link JobDocument}s. Every write is conditional (see
 * {@link JobDocumentStore}): creating fails when the id exists, and updates re-read and re-apply on a lost race,
 * so a terminal state written by a worker is never overwritten here.
 */
@Component
public class JobRepository {

    private final JobDocumentStore store;

    public JobRepository(JobDocumentStore store) {
        this.store = store;
    }

    /**
     * Creates the document (If-None-Match).
     *
     * @throws MediaStoreException.PreconditionFailed when a document with this id exists already
     */
    public void create(JobDocument document) {
        store.create(document.tenant(), document.id(), Json.writeBytes(Json.CONTRACTS, document));
    }

    public Optional<JobDocument> find(String tenant, String id) {
        if (!validName(tenant) || !validName(id)) {
            return Optional.empty();   // ids that cannot exist: no storage call, same 404
        }
        return store.find(tenant, id).map(stored -> Json.read(Json.CONTRACTS, stored.json(), JobDocument.class));
    }

    /**
     * Compare-and-set update. {@code change} gets the current document and returns the next one, or {@code null}
     * (or the same document) to leave it as it is.
     *
     * @return the document as stored afterwards; empty when it does not exist
     */
    public Optional<JobDocument> update(String tenant, String id, UnaryOperator<JobDocument> change) {
        try {
            var stored = store.update(tenant, id, current -> {
                JobDocument doc = Json.read(Json.CONTRACTS, current.json(), JobDocument.class);
                JobDocument next = change.apply(doc);
                return next == null || next.equals(doc) ? null : Json.writeBytes(Json.CONTRACTS, next);
            });
            return Optional.of(Json.read(Json.CONTRACTS, stored.json(), JobDocument.class));
        } catch (MediaStoreException.NotFound e) {
            return Optional.empty();
        }
    }

    public void delete(String tenant, String id) {
        store.delete(tenant, id);
    }

    /**
     * A page of a tenant's jobs in id order, optionally only those in {@code status}.
     *
     * @return the documents and the id to continue after ({@code null} when there are no more)
     */
    public Page list(String tenant, JobStatus status, String afterId, int limit) {
        List<JobDocument> items = new ArrayList<>();
        String cursor = afterId;
        while (items.size() < limit) {
            JobDocumentPage page = store.list(tenant, "", cursor, Math.max(limit - items.size(), 10));
            for (JobDocumentPage.Entry entry : page.items()) {
                cursor = entry.id();
                find(tenant, entry.id()).filter(doc -> status == null || doc.status() == status).ifPresent(items::add);
                if (items.size() == limit) {
                    return new Page(items, entry.id());
                }
            }
            if (page.nextAfterId() == null) {
                return new Page(items, null);
            }
        }
        return new Page(items, cursor);
    }

    private static boolean validName(String s) {
        return s != null && s.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
    }

    /** @param nextAfter pass as {@code after} for the next page; null on the last one */
    public record Page(List<JobDocument> items, String nextAfter) {
    }
}
