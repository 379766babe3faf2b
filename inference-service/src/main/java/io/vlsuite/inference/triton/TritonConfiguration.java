package io.vlsuite.inference.triton;

import io.vlsuite.inference.engine.InferenceEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Triton engine bean, when {@code vlsuite.inference.engine=triton}; settings under {@code vlsuite.inference.triton}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vlsuite.inference.engine", havingValue = "triton")
public class TritonConfiguration {

    @Bean(destroyMethod = "close")
    InferenceEngine tritonEngine(TritonSettings settings) {
        return TritonEngine.connect(settings);
    }
}
