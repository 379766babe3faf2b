package io.vlsuite.inference.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.vlsuite.inference.embedded.EmbeddedEngine;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.health.EngineHealthIndicator;
import io.vlsuite.inference.health.WorkerHealthIndicator;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.jobs.StoreJobDocuments;
import io.vlsuite.inference.media.MediaReader;
import io.vlsuite.inference.media.StoreMediaReader;
import io.vlsuite.inference.metrics.InferenceMetrics;
import io.vlsuite.inference.prepare.GenerationDefaults;
import io.vlsuite.inference.prepare.JobPreparer;
import io.vlsuite.inference.prepare.SamplingMapper;
import io.vlsuite.inference.worker.WorkerLifecycle;
import io.vlsuite.inference.worker.WorkerSettings;
import io.vlsuite.media.JobDocumentStore;
import io.vlsuite.media.MediaStore;
import io.vlsuite.qwen2vl.image.ImageProcessor;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker's beans: engine, job preparation (tokenizer, chat template, image processor of the model folder),
 * media and job documents, metrics, and the worker lifecycle.
 */
@Configuration(proxyBeanMethods = false)
public class InferenceConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "vlsuite.inference.engine", havingValue = "embedded", matchIfMissing = true)
    InferenceEngine embeddedEngine(InferenceProperties props) {
        return EmbeddedEngine.load(props.modelPath(), props.embedded());
    }

    @Bean
    JobPreparer jobPreparer(InferenceProperties props, MediaReader media) {
        return new JobPreparer(PromptBuilder.load(props.modelPath()), ImageProcessor.forModel(props.modelPath()), media,
                new SamplingMapper(GenerationDefaults.load(props.modelPath())), props.embedded().maxModelLen());
    }

    @Bean
    MediaReader mediaReader(ObjectProvider<MediaStore> store) {
        MediaStore media = store.getIfAvailable();
        if (media == null) {
            return key -> {
                throw new InferenceException("media_store_not_configured",
                        "this worker has no media store (vlsuite.media-store.endpoint) and cannot read " + key, false);
            };
        }
        return new StoreMediaReader(media);
    }

    @Bean
    JobDocuments jobDocuments(ObjectProvider<JobDocumentStore> store) {
        JobDocumentStore documents = store.getIfAvailable();
        return documents == null ? JobDocuments.NONE : new StoreJobDocuments(documents);
    }

    @Bean
    InferenceMetrics inferenceMetrics(MeterRegistry registry, InferenceEngine engine) {
        return new InferenceMetrics(registry, engine);
    }

    @Bean
    EngineHealthIndicator engineHealthIndicator(InferenceEngine engine) {
        return new EngineHealthIndicator(engine);
    }

    /** Always present (the liveness group names it), UP when the worker is disabled. */
    @Bean
    WorkerHealthIndicator workerHealthIndicator(ObjectProvider<WorkerLifecycle> lifecycle) {
        return new WorkerHealthIndicator(lifecycle.getIfAvailable());
    }

    @Bean
    @ConditionalOnProperty(name = "vlsuite.inference.worker.enabled", havingValue = "true", matchIfMissing = true)
    WorkerLifecycle workerLifecycle(InferenceProperties props, KafkaProperties kafka, InferenceEngine engine,
                                    JobPreparer preparer, JobDocuments documents, InferenceMetrics metrics) {
        return new WorkerLifecycle(WorkerSettings.from(props.worker()), kafka.buildConsumerProperties(),
                kafka.buildProducerProperties(), engine, preparer, documents, metrics);
    }
}
