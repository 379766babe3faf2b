package io.vlsuite.gateway.config;

import io.vlsuite.gateway.auth.ApiKeyFileWatcher;
import io.vlsuite.gateway.auth.ApiKeyStore;
import io.vlsuite.gateway.auth.AuthenticationFilter;
import io.vlsuite.gateway.auth.JwtAuthenticator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/** Authentication (API keys, key file, JWT) and CORS. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    @Bean
    ApiKeyStore apiKeyStore(ApiKeyProperties properties) {
        return new ApiKeyStore(properties.apiKeys());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("vlsuite.gateway.api-keys-file")
    ApiKeyFileWatcher apiKeyFileWatcher(ApiKeyProperties properties, ApiKeyStore store) {
        return new ApiKeyFileWatcher(properties.apiKeysFile(), store, properties.apiKeysFileCheckInterval());
    }

    @Bean
    @ConditionalOnProperty("vlsuite.gateway.jwt.jwk-set-uri")
    JwtAuthenticator jwtAuthenticator(JwtProperties properties) {
        return new JwtAuthenticator(properties);
    }

    @Bean
    AuthenticationFilter authenticationFilter(ApiKeyStore apiKeys, ObjectProvider<JwtAuthenticator> jwt) {
        return new AuthenticationFilter(apiKeys, jwt.getIfAvailable());
    }

    /** Without allowed origins no CORS configuration is registered, so browsers get no cross-origin access. */
    @Bean
    CorsWebFilter corsWebFilter(CorsProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.enabled()) {
            return new CorsWebFilter(source);
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedOriginPatterns(properties.allowedOriginPatterns());
        cors.setAllowedMethods(properties.allowedMethods());
        cors.setAllowedHeaders(properties.allowedHeaders());
        cors.setExposedHeaders(properties.exposedHeaders());
        cors.setAllowCredentials(properties.allowCredentials());
        cors.setMaxAge(properties.maxAge());
        source.registerCorsConfiguration("/**", cors);
        return new CorsWebFilter(source);
    }
}
