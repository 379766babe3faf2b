package io.vlsuite.inference.jobs;

import io.vlsuite.contracts.job.JobDocument;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** The job documents ({@code jobs/{tenant}/{id}.json}) as the workers use them. */
public interface JobDocuments {

    /** The current document; empty when there is none (interactive jobs may have none). */
    Optional<JobDocument> find(String tenant, String jobId);

    /**
     * Compare-and-set: applies {@code change} to the current version and writes the result only if nobody changed
     * the document meanwhile, re-reading and re-applying otherwise. {@code change} returns null to write nothing
     * (the transition no longer applies, e.g. the job is already terminal).
     *
     * @return the document as stored afterwards; empty when there is no document
     */
    Optional<JobDocument> update(String tenant, String jobId, UnaryOperator<JobDocument> change);

    /** For workers run without a jobs bucket: no documents, nothing to update. */
    JobDocuments NONE = new JobDocuments() {
        @Override
        public Optional<JobDocument> find(String tenant, String jobId) {
            return Optional.empty();
        }

        @Override
        public Optional<JobDocument> update(String tenant, String jobId, UnaryOperator<JobDocument> change) {
            return Optional.empty();
        }
    };
}
