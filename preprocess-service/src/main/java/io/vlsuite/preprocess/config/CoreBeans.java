package io.vlsuite.preprocess.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.UUID;

/** Small shared beans. */
@Configuration(proxyBeanMethods = false)
public class CoreBeans {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** This instance's name in job documents (who claimed a webhook) and logs. */
    @Bean
    InstanceId instanceId() {
        return new InstanceId("preprocess-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public record InstanceId(String value) {
    }
}
