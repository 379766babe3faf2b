package io.vlsuite.inference.engineserver;

import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves this service's engine over Triton gRPC when {@code vlsuite.inference.engine-server.enabled=true}. The
 * model folder's tokenizer decodes {@code text_input} for clients that send no {@code input_ids}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vlsuite.inference.engine-server.enabled", havingValue = "true")
public class EngineServerConfiguration {

    @Bean(destroyMethod = "close")
    EngineServer engineServer(InferenceEngine engine, InferenceProperties props, EngineServerSettings settings) {
        return EngineServer.start(engine, Qwen2Tokenizer.load(props.modelPath()), ServedModel.ensemble(settings.modelName()),
                settings.bindAddress(), settings.port(), (int) Math.min(Integer.MAX_VALUE, settings.maxInboundMessageSize().toBytes()));
    }
}
