package io.vlsuite.preprocess.web;

import io.vlsuite.preprocess.config.PreprocessProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Cleartext HTTP/2 upgrades with a body. The JDK {@code HttpClient} (Spring AI 1.x, LangChain4j, ...) sends its
 * first request on an {@code http://} connection as HTTP/1.1 with {@code Upgrade: h2c} and the full body. Tomcat
 * buffers that body to replay it on the new HTTP/2 stream, but only up to {@code maxSavePostSize} (4 KiB by
 * default) and answers 413 above it; a chat request with an image is far larger. The buffer is raised to the
 * service's own body limit, which bounds it just as the JSON reader is bounded.
 */
@Configuration(proxyBeanMethods = false)
public class H2cUpgradeConfiguration {

    @Bean
    TomcatConnectorCustomizer h2cUpgradeBodyBuffer(PreprocessProperties properties) {
        int limit = (int) Math.min(Integer.MAX_VALUE, properties.limits().maxBodyBytes());
        return connector -> connector.setMaxSavePostSize(limit);
    }
}
