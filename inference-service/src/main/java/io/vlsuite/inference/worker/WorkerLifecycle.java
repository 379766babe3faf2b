package io.vlsuite.inference.worker;

import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.metrics.InferenceMetrics;
import io.vlsuite.inference.prepare.JobPreparer;
import org.springframework.context.SmartLifecycle;

import java.util.Map;

/**
 * Starts the worker once the application context is ready and stops it gracefully on shutdown (in-flight jobs
 * finish within {@code vlsuite.inference.worker.shutdown-timeout}, the rest is handed back), before the engine
 * bean is closed.
 */
public final class WorkerLifecycle implements SmartLifecycle {

    private final WorkerSettings settings;
    private final Map<String, Object> consumerProperties;
    private final Map<String, Object> producerProperties;
    private final InferenceEngine engine;
    private final JobPreparer preparer;
    private final JobDocuments documents;
    private final InferenceMetrics metrics;
    private volatile WorkerNode node;

    public WorkerLifecycle(WorkerSettings settings, Map<String, Object> consumerProperties,
                           Map<String, Object> producerProperties, InferenceEngine engine, JobPreparer preparer,
                           JobDocuments documents, InferenceMetrics metrics) {
        this.settings = settings;
        this.consumerProperties = consumerProperties;
        this.producerProperties = producerProperties;
        this.engine = engine;
        this.preparer = preparer;
        this.documents = documents;
        this.metrics = metrics;
    }

    @Override
    public synchronized void start() {
        if (node == null) {
            node = new WorkerNode(settings, consumerProperties, producerProperties, engine, preparer, documents,
                    metrics, null);
            node.start();
        }
    }

    @Override
    public synchronized void stop() {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    @Override
    public boolean isRunning() {
        return node != null;
    }

    /** The running node (null when stopped). */
    public WorkerNode node() {
        return node;
    }
}
