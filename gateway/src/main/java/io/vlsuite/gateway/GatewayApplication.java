package io.vlsuite.gateway;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The edge of the suite: routing, authentication, per-tenant limits, in front of preprocess-service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    /** The application with its own configuration file name ({@code gateway.yml}); see the standalone launcher. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties("spring.config.name=gateway");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
